import { z } from 'zod';
import { WallGridSchema } from '../../shared/domain/layouts';
import { ViewReasonSchema } from '../../shared/domain/reasons';
import { useWallStore, wallModelOf } from './wallStore';

/**
 * A wall popped out to another display is another window of the same console: the console
 * window sends it the wall (cameras, reasons, grid) over a BroadcastChannel and shows a
 * placeholder while it is open; the wall window plays the tiles and says it is there.
 */
const CHANNEL = 'watchfloor-wall';
const HEARTBEAT_MS = 2_000;
const GONE_AFTER_MS = 6_000;

const WallMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello') }),
  z.object({ type: z.literal('present') }),
  z.object({ type: z.literal('bye') }),
  z.object({
    type: z.literal('wall'),
    model: z.object({
      grid: WallGridSchema,
      tiles: z.array(z.object({ cameraId: z.string(), reason: ViewReasonSchema }).nullable()),
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
export function startWallPublisher(): () => void {
  let lastSeen = 0;
  const send = (ch: BroadcastChannel) =>
    ch.postMessage({ type: 'wall', model: wallModelOf(useWallStore.getState()) });
  const ch = open((m) => {
    if (m.type === 'hello' || m.type === 'present') {
      lastSeen = Date.now();
      if (!useWallStore.getState().poppedOut) useWallStore.getState().setPoppedOut(true);
      if (m.type === 'hello' && ch) send(ch);
    } else if (m.type === 'bye') {
      lastSeen = 0;
      useWallStore.getState().setPoppedOut(false);
    }
  });
  if (!ch) return () => undefined;
  const unsub = useWallStore.subscribe((s, prev) => {
    if (
      s.tiles !== prev.tiles ||
      s.grid !== prev.grid ||
      s.maximized !== prev.maximized ||
      s.selected !== prev.selected
    )
      send(ch);
  });
  const timer = setInterval(() => {
    if (useWallStore.getState().poppedOut && Date.now() - lastSeen > GONE_AFTER_MS)
      useWallStore.getState().setPoppedOut(false);
  }, 1_000);
  return () => {
    unsub();
    clearInterval(timer);
    ch.close();
  };
}

/** In a wall window: follow the console's wall and tell it this window is alive. */
export function startWallFollower(): () => void {
  const ch = open((m) => {
    if (m.type === 'wall') useWallStore.getState().replace(m.model);
  });
  if (!ch) return () => undefined;
  ch.postMessage({ type: 'hello' } satisfies WallMessage);
  const timer = setInterval(
    () => ch.postMessage({ type: 'present' } satisfies WallMessage),
    HEARTBEAT_MS,
  );
  const bye = () => ch.postMessage({ type: 'bye' } satisfies WallMessage);
  window.addEventListener('pagehide', bye);
  return () => {
    bye();
    clearInterval(timer);
    window.removeEventListener('pagehide', bye);
    ch.close();
  };
}
