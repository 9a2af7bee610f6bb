import { beforeEach, describe, expect, it } from 'vitest';
import type { ViewReason } from '../../../shared/domain/reasons';
import {
  RESTORE_KEY,
  clearRestore,
  loadRestore,
  startViewRestore,
  type KeyValueStorage,
} from '../../../renderer/app/viewRestore';
import { useMapStore } from '../../../renderer/map/mapStore';
import { useUiStore } from '../../../renderer/ui/uiStore';
import { reasonFor, switchWorkingCase, useReasonStore } from '../../../renderer/wall/reasonStore';
import { EMPTY_WALL } from '../../../renderer/wall/wallModel';
import { useWallStore } from '../../../renderer/wall/wallStore';

const CASE: ViewReason = { code: 'active_incident', reference: '2026-004512' };
const VIEW = {
  viewId: 'v1',
  cameraId: 'cam-2',
  variant: 'sub',
  playlistUrl: '/media/k/m/index.m3u8',
} as never;

function memoryStorage(): KeyValueStorage & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

/** A fresh page: the stores as they start. */
function freshPage(): void {
  useWallStore.getState().replace(EMPTY_WALL);
  useReasonStore.getState().reset();
  useMapStore.getState().setView(null);
  useUiStore.getState().setTab('map');
}

beforeEach(freshPage);

describe('what a reload restores', () => {
  it('puts back the wall, the working case, the map and the open panel for the same person', () => {
    const storage = memoryStorage();
    const stop = startViewRestore('user-1', storage);
    useWallStore.getState().setGrid('3x3');
    useWallStore.getState().place(0, { cameraId: 'cam-1', reason: CASE });
    useWallStore.getState().place(4, { cameraId: 'cam-2', reason: CASE, view: VIEW });
    void switchWorkingCase();
    useReasonStore.getState().answer(CASE);
    useMapStore.getState().setView({ lat: 36.1, lng: -80.25, zoom: 15.5 });
    useUiStore.getState().setTab('alerts');
    stop();

    freshPage();
    const again = startViewRestore('user-1', storage);
    const wall = useWallStore.getState();
    expect(wall.grid).toBe('3x3');
    expect(wall.tiles[0]).toEqual({ cameraId: 'cam-1', reason: CASE });
    // The view belonged to the page before: the tile asks for it again, and the host hands it over.
    expect(wall.tiles[4]).toEqual({ cameraId: 'cam-2', reason: CASE });
    expect(wall.tiles).toHaveLength(EMPTY_WALL.tiles.length);
    expect(wall.selected).toBe(4);
    expect(useReasonStore.getState().memory.current).toEqual(CASE);
    expect(useMapStore.getState().view).toEqual({ lat: 36.1, lng: -80.25, zoom: 15.5 });
    expect(useUiStore.getState().tab).toBe('alerts');
    again();
  });

  it('views the next camera under the restored working case without asking', async () => {
    const storage = memoryStorage();
    const stop = startViewRestore('user-1', storage);
    void switchWorkingCase();
    useReasonStore.getState().answer(CASE);
    stop();
    freshPage();
    const again = startViewRestore('user-1', storage);
    const reason = await reasonFor({
      cameraIds: ['cam-9'],
      cameraNames: ['Nine'],
      purpose: 'view',
    });
    expect(reason).toEqual(CASE);
    expect(useReasonStore.getState().request).toBeNull();
    again();
  });

  it("never restores another person's console, or a damaged one", () => {
    const storage = memoryStorage();
    const stop = startViewRestore('user-1', storage);
    useWallStore.getState().place(0, { cameraId: 'cam-1', reason: CASE });
    stop();
    expect(loadRestore(storage, 'user-1')).not.toBeNull();
    expect(loadRestore(storage, 'user-2')).toBeNull();

    freshPage();
    const other = startViewRestore('user-2', storage);
    expect(useWallStore.getState().tiles[0]).toBeNull();
    other();

    for (const text of ['{not json', '{"userId":"user-1","wall":{"grid":"9x9"}}']) {
      storage.setItem(RESTORE_KEY, text);
      expect(loadRestore(storage, 'user-1')).toBeNull();
    }
  });

  it('refuses a kept tile whose reason lacks its case number', () => {
    const storage = memoryStorage();
    const stop = startViewRestore('user-1', storage);
    useWallStore.getState().place(0, { cameraId: 'cam-1', reason: CASE });
    stop();
    const kept = JSON.parse(storage.map.get(RESTORE_KEY)!) as {
      wall: { tiles: { reason: Record<string, unknown> }[] };
    };
    delete kept.wall.tiles[0]!.reason.reference;
    storage.setItem(RESTORE_KEY, JSON.stringify(kept));
    expect(loadRestore(storage, 'user-1')).toBeNull();
  });

  it('forgets everything when cleared (sign-out)', () => {
    const storage = memoryStorage();
    startViewRestore('user-1', storage)();
    expect(storage.map.has(RESTORE_KEY)).toBe(true);
    clearRestore(storage);
    expect(loadRestore(storage, 'user-1')).toBeNull();
  });
});
