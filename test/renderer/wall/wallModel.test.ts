import { describe, expect, it } from 'vitest';
import type { ViewReason } from '../../../shared/domain/reasons';
import { WallLayoutSchema } from '../../../shared/domain/layouts';
import {
  EMPTY_WALL,
  clear,
  fill,
  firstFreeTile,
  fromLayout,
  place,
  setGrid,
  swap,
  toLayout,
  toggleMaximize,
} from '../../../renderer/wall/wallModel';
import { LAYOUTS, LAYOUT_IDS, nextLayout, tileIsLarge } from '../../../renderer/wall/wallGeometry';
import { TILE_COUNTS } from '../../../shared/domain/layouts';

const reason: ViewReason = { code: 'active_incident', reference: '2026-001234' };
const t = (cameraId: string) => ({ cameraId, reason });

describe('wall geometry', () => {
  it('has the tile counts the saved-layout contract expects, and no overlapping tiles', () => {
    for (const id of LAYOUT_IDS) {
      const g = LAYOUTS[id];
      expect(g.tiles.length).toBe(TILE_COUNTS[id]);
      const cells = new Set<string>();
      for (const r of g.tiles)
        for (let c = r.col; c < r.col + r.colSpan; c++)
          for (let w = r.row; w < r.row + r.rowSpan; w++) {
            const cell = `${c},${w}`;
            expect(cells.has(cell)).toBe(false);
            cells.add(cell);
          }
      expect(cells.size).toBe(g.columns * g.rows);
    }
  });

  it('cycles layouts both ways', () => {
    expect(nextLayout('1x1')).toBe('2x2');
    expect(nextLayout('1+7')).toBe('1x1');
    expect(nextLayout('1x1', -1)).toBe('1+7');
  });

  it('gives the main stream only to tiles that fill most of the wall', () => {
    expect(tileIsLarge('1x1', 0)).toBe(true);
    expect(tileIsLarge('2x2', 0)).toBe(false);
    expect(tileIsLarge('1+5', 0)).toBe(true);
    expect(tileIsLarge('1+5', 1)).toBe(false);
    expect(tileIsLarge('1+7', 0)).toBe(true);
  });
});

describe('wall model', () => {
  it('places a camera and selects its tile', () => {
    const m = place(EMPTY_WALL, 2, t('a'));
    expect(m.tiles[2]).toEqual(t('a'));
    expect(m.selected).toBe(2);
  });

  it('ignores tiles outside the grid', () => {
    expect(place(EMPTY_WALL, 4, t('a'))).toBe(EMPTY_WALL);
    expect(place(EMPTY_WALL, -1, t('a'))).toBe(EMPTY_WALL);
  });

  it('moves a camera already on the wall rather than showing it twice', () => {
    let m = place(EMPTY_WALL, 0, t('a'));
    m = place(m, 1, t('b'));
    m = place(m, 1, t('a'));
    expect(m.tiles.slice(0, 2).map((x) => x?.cameraId)).toEqual(['b', 'a']);
  });

  it('swaps tiles and carries the maximised tile along', () => {
    let m = place(place(EMPTY_WALL, 0, t('a')), 3, t('d'));
    m = toggleMaximize(m, 0);
    m = swap(m, 0, 3);
    expect(m.tiles[0]?.cameraId).toBe('d');
    expect(m.tiles[3]?.cameraId).toBe('a');
    expect(m.maximized).toBe(3);
  });

  it('maximise toggles, and an empty tile is not maximised', () => {
    expect(toggleMaximize(EMPTY_WALL, 1)).toBe(EMPTY_WALL);
    const m = toggleMaximize(place(EMPTY_WALL, 1, t('b')), 1);
    expect(m.maximized).toBe(1);
    expect(toggleMaximize(m, 1).maximized).toBeNull();
  });

  it('a smaller grid keeps the cameras past its end, unshown, and drops a maximised tile beyond it', () => {
    let m = setGrid(EMPTY_WALL, '3x3');
    m = place(m, 8, t('i'));
    expect(m.tiles[8]).not.toBeNull();
    m = toggleMaximize(m, 8);
    m = setGrid(m, '2x2');
    expect(m.maximized).toBeNull();
    expect(m.selected).toBe(3);
    expect(setGrid(m, '3x3').tiles[8]?.cameraId).toBe('i');
  });

  it('fills empty tiles first, then the oldest', () => {
    let m = place(EMPTY_WALL, 1, t('x'));
    expect(firstFreeTile(m)).toBe(0);
    m = fill(m, [t('a'), t('b'), t('c'), t('d')]);
    expect(m.tiles.slice(0, 4).map((x) => x?.cameraId)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('clears a tile', () => {
    let m = toggleMaximize(place(EMPTY_WALL, 0, t('a')), 0);
    expect(m.maximized).toBe(0);
    m = clear(m, 0);
    expect(m.tiles[0]).toBeNull();
    expect(m.maximized).toBeNull();
  });

  it('round-trips through a saved layout that the server schema accepts', () => {
    let m = setGrid(EMPTY_WALL, '1+5');
    m = place(m, 0, t('a'));
    m = place(m, 2, t('c'));
    m = toggleMaximize(m, 2);
    const layout = toLayout(m);
    expect(WallLayoutSchema.parse(layout)).toEqual({
      grid: '1+5',
      tiles: ['a', null, 'c'],
      maximized: 2,
    });
    const back = fromLayout(layout, reason, (id) => id !== 'c');
    expect(back.tiles.slice(0, 3)).toEqual([t('a'), null, null]);
    expect(back.grid).toBe('1+5');
    expect(back.maximized).toBe(2);
  });
});
