import type { DockRequested } from '../../shared/api/docking';
import type { DockPreset, DockTargetKind } from '../../shared/domain/docking';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';
import { notify } from '../ui/noticeStore';
import { dockRoom, type WallTile } from '../wall/wallModel';
import { useWallStore, wallModelOf } from '../wall/wallStore';
import { useDockingStore } from './dockingStore';

/** A rule's request older than this (a console catching up after a reconnect) docks nothing. */
export const AUTO_DOCK_FRESH_MS = 2 * 60_000;

/**
 * Docks a record's nearest cameras on this wall: the host obtains every grant in one request
 * and starts the streams at once; the tiles take the views it hands back. Pinned tiles stay.
 * No reason is asked: the views are granted for the record itself (docs/docking.md).
 */
export async function dockNearest(
  kind: DockTargetKind,
  id: string,
  preset: DockPreset = 'fit',
  rule: string | null = null,
): Promise<void> {
  const key = `${kind}:${id}`;
  const docking = useDockingStore.getState();
  if (docking.busy.has(key)) return;
  const room = dockRoom(wallModelOf(useWallStore.getState()), preset);
  if (room === 0) return notify('info', 'Every tile is pinned: unpin one to dock cameras.');
  docking.setBusy(key, true);
  try {
    markDock('wf.dock.asked');
    const r = await call('docking.dock', { kind, id, max: room });
    markDock('wf.dock.answered');
    if (!r.ok)
      return notify('warning', `The nearest cameras could not be docked: ${r.error.message}`);
    const { nearest, views, refused, reason } = r.value;
    useDockingStore.getState().setLast({ nearest, refused, rule, at: Date.now() });
    const wall = useWallStore.getState();
    // A wall on another display opens its own views: these ones are given back.
    const tiles: WallTile[] = views.map((view) => ({
      cameraId: view.cameraId,
      reason,
      ...(wall.poppedOut ? {} : { view }),
    }));
    if (tiles.length === 0) {
      notify('info', `No camera near ${nearest.target.label} may be viewed now.`);
    } else {
      wall.dock(tiles, preset);
    }
    const placed = new Set(
      useWallStore.getState().tiles.flatMap((t) => (t?.view ? [t.view.viewId] : [])),
    );
    for (const v of views) {
      if (!placed.has(v.viewId)) void call('views.close', { viewId: v.viewId });
    }
  } finally {
    useDockingStore.getState().setBusy(key, false);
  }
}

/**
 * The console's side of a dock on its performance timeline (the developer tools show it; the
 * autodock benchmark reads it): one mark per name, the last dock's.
 */
function markDock(name: string): void {
  if (typeof performance === 'undefined' || !performance.mark) return;
  performance.clearMarks(name);
  performance.mark(name);
}

const isWallWindow = () =>
  useSessionStore.getState().info?.window === 'wall' ||
  (typeof window !== 'undefined' &&
    new URLSearchParams(window.location.search).get('window') === 'wall');

/**
 * A rule docked a record on the walls of the analysts following the queue. The console window
 * docks it once; a wall window follows the console, and a request heard late (catching up after
 * a reconnect) is left for the analyst to dock by hand.
 */
export function dockRequested(p: DockRequested, now: number = Date.now()): void {
  if (isWallWindow()) return;
  if (now - Date.parse(p.requestedAt) > AUTO_DOCK_FRESH_MS) return;
  const key = `${p.target.kind}:${p.target.id}`;
  if (useDockingStore.getState().autoDocked.has(key)) return;
  useDockingStore.getState().markAutoDocked(key);
  markDock('wf.dock.requested');
  void dockNearest(p.target.kind, p.target.id, p.preset, p.rule);
}
