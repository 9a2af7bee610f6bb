import { z } from 'zod';
import { WallGridSchema } from '../../shared/domain/layouts';
import { ViewReasonSchema } from '../../shared/domain/reasons';
import { useMapStore, type MapViewState } from '../map/mapStore';
import { useUiStore } from '../ui/uiStore';
import { useReasonStore } from '../wall/reasonStore';
import { MAX_TILES } from '../wall/wallGeometry';
import type { WallModel } from '../wall/wallModel';
import { useWallStore, wallModelOf } from '../wall/wallStore';

/**
 * What a reload of the console brings back (docs/console.md, "A reload keeps the console"): the
 * wall (grid, each tile's camera and the reason it is viewed under, the maximised and selected
 * tile), the working case, the map's view and the side panel that was open. Kept in the tab's
 * sessionStorage: none of it is a secret, it ends with the tab, and it is dropped when the console
 * signs out. It is restored only for the same person, and only once the host says the session is
 * still theirs.
 *
 * The audit is as strict after a reload as before it: a tile put back with the same camera, stream
 * and reason carries on with the view it had, under the grant audited when it went up (the host
 * hands it over); anything else opens a new view, whose grant the server audits.
 */
export const RESTORE_KEY = 'watchfloor.restore';

const TileSchema = z
  .object({ cameraId: z.string().min(1), reason: ViewReasonSchema, pinned: z.boolean().optional() })
  .nullable();

const RestoreSchema = z.object({
  userId: z.string().min(1),
  wall: z.object({
    grid: WallGridSchema,
    tiles: z.array(TileSchema).max(MAX_TILES).readonly(),
    maximized: z.number().int().min(0).max(MAX_TILES).nullable(),
    selected: z.number().int().min(0).max(MAX_TILES),
  }),
  workingCase: z.object({
    current: ViewReasonSchema.nullable(),
    granted: z.record(z.string(), z.array(z.string()).readonly()),
  }),
  map: z
    .object({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      zoom: z.number().min(0).max(24),
    })
    .nullable(),
  /** The side panel's open tab (a module's panel id; one the person no longer has shows the first). */
  tab: z
    .string()
    .regex(/^[a-z][a-z-]{0,39}$/)
    .optional(),
});
export type RestoredConsole = z.infer<typeof RestoreSchema>;

/** The part of the Storage interface used here (sessionStorage in the page, a map in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The console as this person left it in this tab, or null (nothing kept, someone else's, damaged). */
export function loadRestore(storage: KeyValueStorage, userId: string): RestoredConsole | null {
  let raw: unknown;
  try {
    const text = storage.getItem(RESTORE_KEY);
    if (text === null) return null;
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = RestoreSchema.safeParse(raw);
  if (!parsed.success || parsed.data.userId !== userId) return null;
  return parsed.data;
}

/** What is kept of the wall: a tile's view belongs to the page that opened it, so it is left out. */
export function wallToKeep(model: WallModel): RestoredConsole['wall'] {
  return {
    grid: model.grid,
    tiles: model.tiles.map((t) =>
      t ? { cameraId: t.cameraId, reason: t.reason, ...(t.pinned ? { pinned: true } : {}) } : null,
    ),
    maximized: model.maximized,
    selected: model.selected,
  };
}

export function saveRestore(storage: KeyValueStorage, state: RestoredConsole): void {
  try {
    storage.setItem(RESTORE_KEY, JSON.stringify(state));
  } catch {
    // A full or refused storage only costs the restore after a reload.
  }
}

export function clearRestore(storage: KeyValueStorage): void {
  try {
    storage.removeItem(RESTORE_KEY);
  } catch {
    // Nothing kept, nothing to clear.
  }
}

function pad(tiles: RestoredConsole['wall']['tiles']): WallModel['tiles'] {
  return Array.from({ length: MAX_TILES }, (_, i) => tiles[i] ?? null);
}

/**
 * In the console window, once the host has said who is signed in: puts back what this tab kept
 * for them, then keeps it up to date. Returns the unsubscribe.
 */
export function startViewRestore(userId: string, storage: KeyValueStorage): () => void {
  const kept = loadRestore(storage, userId);
  if (kept) {
    useWallStore.getState().replace({ ...kept.wall, tiles: pad(kept.wall.tiles) });
    useReasonStore.setState({ memory: kept.workingCase });
    if (kept.map) useMapStore.getState().setView(kept.map);
    if (kept.tab) useUiStore.getState().setTab(kept.tab);
  }
  const save = () =>
    saveRestore(storage, {
      userId,
      wall: wallToKeep(wallModelOf(useWallStore.getState())),
      workingCase: useReasonStore.getState().memory,
      map: useMapStore.getState().view,
      tab: useUiStore.getState().tab,
    });
  save();
  const stops = [
    useWallStore.subscribe((s, prev) => {
      if (s.tiles !== prev.tiles || s.grid !== prev.grid) save();
      else if (s.maximized !== prev.maximized || s.selected !== prev.selected) save();
    }),
    useReasonStore.subscribe((s, prev) => {
      if (s.memory !== prev.memory) save();
    }),
    useMapStore.subscribe((s: { view: MapViewState | null }, prev) => {
      if (s.view !== prev.view) save();
    }),
    useUiStore.subscribe((s, prev) => {
      if (s.tab !== prev.tab) save();
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
