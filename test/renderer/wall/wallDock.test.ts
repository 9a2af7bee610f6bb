import { describe, expect, it } from 'vitest';
import {
  EMPTY_WALL,
  dock,
  dockGrid,
  dockRoom,
  place,
  setGrid,
  togglePin,
  type WallTile,
} from '../../../renderer/wall/wallModel';

const reason = { code: 'active_incident' as const, reference: '26-0001' };
const tile = (cameraId: string): WallTile => ({ cameraId, reason });
const ids = (m: { tiles: readonly (WallTile | null)[] }, n: number) =>
  m.tiles.slice(0, n).map((t) => t?.cameraId ?? null);

describe('docking on the wall', () => {
  it('fits the grid to the cameras: 2x2 for 4, 3x3 for 9, 4x4 for 16', () => {
    expect(dockGrid('fit', 0, 4)).toBe('2x2');
    expect(dockGrid('fit', 0, 1)).toBe('2x2');
    expect(dockGrid('fit', 0, 9)).toBe('3x3');
    expect(dockGrid('fit', 2, 4)).toBe('3x3');
    expect(dockGrid('fit', 0, 16)).toBe('4x4');
    expect(dockGrid('1+5', 0, 16)).toBe('1+5');
  });

  it('replaces unpinned tiles and keeps pinned ones where they are', () => {
    let m = setGrid(EMPTY_WALL, '3x3');
    m = place(m, 0, tile('old-1'));
    m = place(m, 4, tile('kept'));
    m = place(m, 7, tile('kept-late'));
    m = togglePin(m, 4);
    m = togglePin(m, 7);
    expect(dockRoom(m, 'fit')).toBe(14);
    const docked = dock(m, ['n1', 'n2', 'n3', 'n4'].map(tile), 'fit');
    expect(docked.grid).toBe('3x3');
    expect(ids(docked, 9)).toEqual(['n1', 'n2', 'n3', 'n4', 'kept', null, null, 'kept-late', null]);
    expect(docked.tiles[4]?.pinned).toBe(true);
    expect(docked.tiles.some((t) => t?.cameraId === 'old-1')).toBe(false);
  });

  it('moves a pinned tile the new grid has no room for into the first free tile', () => {
    let m = setGrid(EMPTY_WALL, '4x4');
    m = place(m, 12, tile('pinned'));
    m = togglePin(m, 12);
    const docked = dock(m, ['a', 'b'].map(tile), 'fit');
    expect(docked.grid).toBe('2x2');
    expect(ids(docked, 4)).toEqual(['pinned', 'a', 'b', null]);
  });

  it('does not show a docked camera twice when it is already pinned', () => {
    let m = place(EMPTY_WALL, 1, tile('a'));
    m = togglePin(m, 1);
    const docked = dock(m, ['a', 'b', 'c', 'd'].map(tile), 'fit');
    expect(docked.grid).toBe('2x2');
    expect(ids(docked, 4)).toEqual(['b', 'a', 'c', 'd']);
  });
});
