import { useCameraStore, type Camera } from '../cameras/cameraStore';
import { useViewableStore, viewability } from '../cameras/viewableNow';
import { notify } from '../ui/noticeStore';
import { reasonFor } from './reasonStore';
import { useWallStore } from './wallStore';
import { firstFreeTile, fromLayout } from './wallModel';
import type { SavedLayout, WallGrid } from '../../shared/domain/layouts';
import { tileCount } from './wallGeometry';
import { layoutsInOrder, useLayoutStore } from './layoutStore';
import { useUiStore } from '../ui/uiStore';

/** Registered cameras are a location only: there is nothing to play. */
export const REGISTERED_NO_FEED =
  'Registered cameras share only their location: there is no feed to put on the wall. Use "Request footage" instead.';

function cameraOf(id: string): Camera | undefined {
  return useCameraStore.getState().byId.get(id);
}

/**
 * Why a camera cannot be put up now (an owner's window closed, not agreed), or null. Asked before
 * the reason dialog: a view that cannot happen asks no reason and leaves nothing in the audit.
 */
function notViewableNow(camera: Camera): string | null {
  if (camera.kind === 'registered') return null;
  return viewability(camera, useViewableStore.getState().blocked).reason;
}

/**
 * Put a camera on a tile (dropped from the map or the list, or by keyboard). With `advance`,
 * the selection then moves on to the next empty tile, so cameras picked one after another from
 * the list fill the wall.
 */
export async function putCameraOnTile(
  cameraId: string,
  index?: number,
  options: { readonly advance?: boolean } = {},
): Promise<void> {
  const camera = cameraOf(cameraId);
  if (!camera) return notify('warning', 'That camera is no longer in the registry.');
  if (camera.kind === 'registered') return notify('info', REGISTERED_NO_FEED);
  const closed = notViewableNow(camera);
  if (closed) return notify('info', `${camera.name} cannot be viewed now. ${closed}`);
  const reason = await reasonFor({
    cameraIds: [cameraId],
    cameraNames: [camera.name],
    purpose: 'view',
  });
  if (!reason) return;
  const wall = useWallStore.getState();
  wall.place(index ?? firstFreeTile(wall), { cameraId, reason });
  if (options.advance) {
    const after = useWallStore.getState();
    const free = firstFreeTile(after);
    if (after.tiles[free] === null) after.select(free);
  }
}

/** Put several cameras on the wall (the nearest to a point), one reason for them all. */
export async function putCamerasOnWall(cameraIds: readonly string[]): Promise<void> {
  const cameras = cameraIds
    .map(cameraOf)
    .filter((c): c is Camera => !!c && c.kind !== 'registered' && notViewableNow(c) === null);
  if (cameras.length === 0) return notify('info', 'None of those cameras can be viewed now.');
  const reason = await reasonFor({
    cameraIds: cameras.map((c) => c.id),
    cameraNames: cameras.map((c) => c.name),
    purpose: 'view',
  });
  if (!reason) return;
  useWallStore.getState().fill(cameras.map((c) => ({ cameraId: c.id, reason })));
}

/** Recall a saved layout: one reason for all its cameras. */
export async function recallLayout(saved: SavedLayout): Promise<void> {
  const ids = saved.layout.tiles.filter((t): t is string => t !== null && !!cameraOf(t));
  const names = ids.map((id) => cameraOf(id)?.name ?? id);
  const missing = saved.layout.tiles.filter((t) => t !== null).length - ids.length;
  const reason =
    ids.length === 0
      ? { code: 'event_situational_awareness' as const }
      : await reasonFor({ cameraIds: ids, cameraNames: names, purpose: 'layout' });
  if (!reason) return;
  useWallStore.getState().replace(fromLayout(saved.layout, reason, (id) => !!cameraOf(id)));
  if (missing > 0)
    notify(
      'warning',
      `${missing} camera(s) in "${saved.name}" are no longer available and were left out.`,
    );
}

/** The cameras a switch to `grid` would take off the wall (they come back on switching back). */
export function camerasDroppedBy(grid: WallGrid): string[] {
  const wall = useWallStore.getState();
  const keep = tileCount(grid);
  const shown = tileCount(wall.grid);
  return wall.tiles
    .slice(keep, shown)
    .flatMap((t) => (t ? [cameraOf(t.cameraId)?.name ?? t.cameraId] : []));
}

/**
 * Switch the wall's grid; when that would take cameras off the wall, ask first (the dialog
 * lists them), so that a smaller grid never hides cameras silently.
 */
export function requestGrid(grid: WallGrid): void {
  const dropped = camerasDroppedBy(grid);
  if (dropped.length === 0) useWallStore.getState().setGrid(grid);
  else useUiStore.getState().setGridConfirm({ grid, dropped });
}

/** Recall the n-th layout of the menu (Alt+1 … Alt+9), the center's first. */
export async function recallLayoutAt(index: number): Promise<void> {
  const entry = layoutsInOrder(useLayoutStore.getState())[index];
  if (!entry) return notify('info', `There is no layout ${index + 1} to recall.`);
  await recallLayout(entry.layout);
}
