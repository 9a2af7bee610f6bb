import type {
  CallArgs,
  CallName,
  CallOutcome,
  SubscriptionName,
  SubscriptionPayload,
  WatchfloorApi,
} from '../../shared/api/watchfloorApi';

/**
 * The renderer's one way out: `window.watchfloor` (the Electron preload's, or the web bridge's).
 * Stores call through here, never components while they render.
 */
function api(): WatchfloorApi {
  const wf = window.watchfloor;
  if (!wf) throw new Error('window.watchfloor is missing: the console host did not start');
  return wf;
}

export function call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallOutcome<N>> {
  return api().call(name, args);
}

export function subscribe<N extends SubscriptionName>(
  name: N,
  listener: (payload: SubscriptionPayload<N>) => void,
): () => void {
  return api().subscribe(name, listener);
}
