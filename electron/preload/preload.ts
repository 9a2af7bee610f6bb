import { contextBridge, ipcRenderer } from 'electron';
import {
  CALL_NAMES,
  IPC_SUBSCRIPTION_CHANNEL,
  IpcPushSchema,
  SUBSCRIPTION_NAMES,
  ipcChannelOf,
  type CallArgs,
  type CallName,
  type CallOutcome,
  type SubscriptionName,
  type SubscriptionPayload,
  type WatchfloorApi,
} from '../../shared/api/watchfloorApi';

/**
 * The bridge: exactly one object, `window.watchfloor`, built from the contract. Each call name
 * gets its own invoke channel (the main process validates the sender and the arguments); every
 * subscription arrives on one channel and is handed to the listeners of its name. No Electron or
 * Node object crosses to the page.
 */

const channels = new Map<CallName, string>(CALL_NAMES.map((name) => [name, ipcChannelOf(name)]));
const listeners = new Map<SubscriptionName, Set<(payload: unknown) => void>>(
  SUBSCRIPTION_NAMES.map((name) => [name, new Set()]),
);

ipcRenderer.on(IPC_SUBSCRIPTION_CHANNEL, (_event, message: unknown) => {
  const push = IpcPushSchema.safeParse(message);
  if (!push.success) return;
  const set = listeners.get(push.data.subscription as SubscriptionName);
  for (const listener of set ?? []) listener(push.data.payload);
});

const watchfloor: WatchfloorApi = {
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallOutcome<N>> {
    const channel = channels.get(name);
    if (!channel) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown_call', message: `There is no call named ${String(name)}.` },
      });
    }
    return ipcRenderer.invoke(channel, args) as Promise<CallOutcome<N>>;
  },
  subscribe<N extends SubscriptionName>(
    name: N,
    listener: (payload: SubscriptionPayload<N>) => void,
  ): () => void {
    const set = listeners.get(name);
    if (!set) return () => undefined;
    const wrapped = (payload: unknown) => listener(payload as SubscriptionPayload<N>);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('watchfloor', watchfloor);
