import {
  RPC_PATH,
  RpcServerMessageSchema,
  isSubscriptionName,
  type CallArgs,
  type CallName,
  type CallOutcome,
  type SubscriptionName,
  type SubscriptionPayload,
  type WatchfloorApi,
} from '../../shared/api/watchfloorApi';

declare global {
  interface Window {
    /** Set by the Electron preload, or by installWebBridge() in a plain browser. */
    watchfloor?: WatchfloorApi;
  }
}

type Listener = (payload: unknown) => void;

interface Pending {
  readonly resolve: (outcome: CallOutcome<CallName>) => void;
}

/** Backoff between reconnects: quick at first, then every 5 s. */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000] as const;

/**
 * The RPC address for this page: which window it is, the tab's own name, and, on a reconnect,
 * that the page is the same one (so the host gives it back its views; after a reload, the host
 * hands over only the views that the new page's tiles ask for again).
 */
export function rpcUrl(base: string, tab: TabIdentity, resume: boolean): string {
  const url = new URL(base);
  url.searchParams.set('window', tab.window);
  url.searchParams.set('tab', tab.tabId);
  if (resume) url.searchParams.set('resume', '1');
  return url.toString();
}

export interface TabIdentity {
  readonly window: 'console' | 'wall';
  /** Kept in the tab's sessionStorage: the same across a reload, another in another tab. */
  readonly tabId: string;
}

/**
 * window.watchfloor for a browser: the same WatchfloorApi over a WebSocket to the web host's /rpc.
 *
 * The host keeps the browser's session under an HttpOnly cookie (the page never sees it), so a
 * reconnect or a reload finds the console as it was, locked if it was locked; a reconnect of the
 * same page gets its views back. Calls made while the socket is down wait for it, and calls in
 * flight when it drops answer `offline`.
 */
export function createWebBridge(base: string, tab: TabIdentity): WatchfloorApi {
  const listeners = new Map<SubscriptionName, Set<Listener>>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let opened = false;

  const connect = () => {
    const ws = new WebSocket(rpcUrl(base, tab, opened));
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      opened = true;
      for (const message of queue.splice(0)) ws.send(message);
    });
    ws.addEventListener('message', (e) => {
      if (typeof e.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(e.data);
      } catch {
        return;
      }
      const msg = RpcServerMessageSchema.safeParse(raw);
      if (!msg.success) return;
      if (msg.data.type === 'reply') {
        if (msg.data.id === null) return;
        const p = pending.get(msg.data.id);
        pending.delete(msg.data.id);
        p?.resolve(msg.data.outcome as CallOutcome<CallName>);
        return;
      }
      const name = msg.data.subscription;
      if (!isSubscriptionName(name)) return;
      for (const listener of listeners.get(name) ?? []) listener(msg.data.payload);
    });
    ws.addEventListener('close', () => {
      socket = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve({
          ok: false,
          error: { code: 'offline', message: 'The connection to the console host was lost.' },
        });
      }
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)];
      attempt += 1;
      setTimeout(connect, delay);
    });
  };
  connect();

  return {
    call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallOutcome<N>> {
      const id = nextId++;
      const message = JSON.stringify({ id, call: name, args });
      return new Promise<CallOutcome<N>>((resolve) => {
        pending.set(id, { resolve: resolve as Pending['resolve'] });
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push(message);
      });
    },
    subscribe<N extends SubscriptionName>(
      name: N,
      listener: (payload: SubscriptionPayload<N>) => void,
    ): () => void {
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      const wrapped: Listener = (payload) => listener(payload as SubscriptionPayload<N>);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}

/** This tab's name for the host, kept across reloads in sessionStorage (not a secret). */
function tabIdentity(): TabIdentity {
  const wall = new URLSearchParams(window.location.search).get('window') === 'wall';
  const win = wall ? 'wall' : 'console';
  // A window opened from this one starts with a copy of its sessionStorage: the key says which.
  const key = `watchfloor.tab.${win}`;
  try {
    const kept = window.sessionStorage.getItem(key);
    if (kept && /^[A-Za-z0-9_-]{8,64}$/.test(kept)) return { window: win, tabId: kept };
    const tabId = crypto.randomUUID().replaceAll('-', '');
    window.sessionStorage.setItem(key, tabId);
    return { window: win, tabId };
  } catch {
    // No storage: the tab still works; a reload starts it as a new tab.
    return { window: win, tabId: crypto.randomUUID().replaceAll('-', '') };
  }
}

/** Installs the web bridge unless the Electron preload already provided window.watchfloor. */
export function installWebBridge(): WatchfloorApi {
  if (window.watchfloor) return window.watchfloor;
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const api = createWebBridge(`${scheme}//${window.location.host}${RPC_PATH}`, tabIdentity());
  window.watchfloor = api;
  return api;
}
