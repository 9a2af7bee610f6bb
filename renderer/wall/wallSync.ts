import { z } from 'zod';
import { WallGridSchema } from '../../shared/domain/layouts';
import { ViewReasonSchema } from '../../shared/domain/reasons';
import type { WallModel } from './wallModel';
import { useWallStore, wallModelOf } from './wallStore';

/**
 * A wall popped out to another display is another window of the same console (signed in with
 * the same session): the console window sends it the wall (cameras, reasons, grid) over a
 * BroadcastChannel and shows that the wall is popped out while it is open; the wall window plays
 * the tiles and says it is there. Either window's layout controls change the wall: the wall
 * window sends its changes back the same way.
 */
const CHANNEL = 'watchfloor-wall';
const HEARTBEAT_MS = 2_000;
const GONE_AFTER_MS = 6_000;

const WallMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello') }),
  z.object({ type: z.literal('present') }),
  z.object({ type: z.literal('bye') }),
  /** From a console window that (re)started: is a wall window open? */
  z.object({ type: z.literal('ask') }),
  /** From the console window: close the wall window, the wall comes back. */
  z.object({ type: z.literal('return') }),
  z.object({
    type: z.literal('wall'),
    /** Which window sent it: each applies only the other kind's (two console tabs never mix). */
    from: z.enum(['console', 'wall']),
    model: z.object({
      grid: WallGridSchema,
      tiles: z.array(
        z
          .object({
            cameraId: z.string(),
            reason: ViewReasonSchema,
            pinned: z.boolean().optional(),
          })
          .nullable(),
      ),
      maximized: z.number().int().nullable(),
      selected: z.number().int(),
    }),
  }),
]);
type WallMessage = z.infer<typeof WallMessageSchema>;

function open(onMessage: (m: WallMessage) => void): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e: MessageEvent<unknown>) => {
    const m = WallMessageSchema.safeParse(e.data);
    if (m.success) onMessage(m.data);
  };
  return ch;
}

/** In the console window: send the wall to a popped-out wall, and notice when one is open. */
/** The wall as sent to the other window: a tile's view belongs to the window that opened it. */
function shared(model: WallModel): WallModel {
  return {
    ...model,
    tiles: model.tiles.map((t) =>
      t ? { cameraId: t.cameraId, reason: t.reason, ...(t.pinned ? { pinned: true } : {}) } : null,
    ),
  };
}

const wallChanged = (s: WallModel, prev: WallModel) =>
  s.tiles !== prev.tiles ||
  s.grid !== prev.grid ||
  s.maximized !== prev.maximized ||
  s.selected !== prev.selected;

/**
 * Sends this window's wall changes to the other window, but not the wall the other window just
 * sent (that would bounce back and forth).
 */
function mirror(
  ch: BroadcastChannel,
  from: 'console' | 'wall',
): { apply(m: WallMessage): void; stop(): void } {
  let applying = false;
  const unsub = useWallStore.subscribe((s, prev) => {
    if (!applying && wallChanged(s, prev)) {
      ch.postMessage({ type: 'wall', from, model: shared(wallModelOf(s)) });
    }
  });
  return {
    apply(m) {
      if (m.type !== 'wall' || m.from === from) return;
      const model = m.model;
      applying = true;
      try {
        useWallStore.getState().replace(model);
      } finally {
        applying = false;
      }
    },
    stop: unsub,
  };
}

let consoleChannel: BroadcastChannel | null = null;

/** From the console window: the popped-out wall window closes and the wall plays here again. */
export function returnWall(): void {
  consoleChannel?.postMessage({ type: 'return' } satisfies WallMessage);
  useWallStore.getState().setPoppedOut(false);
}

/** In the console window: send the wall to a popped-out wall, and notice when one is open. */
export function startWallPublisher(): () => void {
  let lastSeen = 0;
  const send = (ch: BroadcastChannel) =>
    ch.postMessage({
      type: 'wall',
      from: 'console',
      model: shared(wallModelOf(useWallStore.getState())),
    });
  let sync: ReturnType<typeof mirror> | null = null;
  const ch = open((m) => {
    if (m.type === 'hello' || m.type === 'present') {
      lastSeen = Date.now();
      if (!useWallStore.getState().poppedOut) useWallStore.getState().setPoppedOut(true);
      if (m.type === 'hello' && ch) send(ch);
    } else if (m.type === 'bye') {
      lastSeen = 0;
      useWallStore.getState().setPoppedOut(false);
    } else if (m.type === 'wall') {
      sync?.apply(m);
    }
  });
  if (!ch) return () => undefined;
  consoleChannel = ch;
  sync = mirror(ch, 'console');
  // After a reload of this window, a wall window that is still open answers at once.
  ch.postMessage({ type: 'ask' } satisfies WallMessage);
  const timer = setInterval(() => {
    if (useWallStore.getState().poppedOut && Date.now() - lastSeen > GONE_AFTER_MS)
      useWallStore.getState().setPoppedOut(false);
  }, 1_000);
  return () => {
    sync?.stop();
    clearInterval(timer);
    if (consoleChannel === ch) consoleChannel = null;
    ch.close();
  };
}

/** In a wall window: follow the console's wall and tell it this window is alive. */
export function startWallFollower(): () => void {
  let sync: ReturnType<typeof mirror> | null = null;
  const ch = open((m) => {
    if (m.type === 'wall') sync?.apply(m);
    else if (m.type === 'ask') ch?.postMessage({ type: 'present' } satisfies WallMessage);
    else if (m.type === 'return') window.close();
  });
  if (!ch) return () => undefined;
  sync = mirror(ch, 'wall');
  ch.postMessage({ type: 'hello' } satisfies WallMessage);
  const timer = setInterval(
    () => ch.postMessage({ type: 'present' } satisfies WallMessage),
    HEARTBEAT_MS,
  );
  const bye = () => ch.postMessage({ type: 'bye' } satisfies WallMessage);
  window.addEventListener('pagehide', bye);
  return () => {
    bye();
    sync?.stop();
    clearInterval(timer);
    window.removeEventListener('pagehide', bye);
    ch.close();
  };
}
