import { describe, expect, it } from 'vitest';
import {
  NO_CURSOR,
  workloadKey,
  type WorkloadCursor,
  type WorkloadLane,
} from '../../../renderer/cases/workloadKeys';
import { panelShortcutHelp } from '../../../renderer/app/shortcuts';

const LANES: WorkloadLane[] = [
  { userId: null, items: [{ number: '2026-000009' }] },
  { userId: 'avery', items: [{ number: '2026-000001' }, { number: '2026-000002' }] },
  { userId: 'blake', items: [] },
  { userId: 'casey', items: [{ number: '2026-000003' }] },
];

/** Presses the keys in turn; answers the last cursor and every move asked for. */
function press(keys: string[], from: WorkloadCursor = NO_CURSOR) {
  let cursor = from;
  const moves = [];
  for (const key of keys) {
    const out = workloadKey(key, cursor, LANES);
    cursor = out.cursor;
    if (out.move) moves.push(out.move);
  }
  return { cursor, moves };
}

describe('the workload keyboard', () => {
  it('walks the cases in lane order with the arrows, and stops at the ends', () => {
    expect(press(['ArrowDown']).cursor.at).toEqual({ lane: 0, item: 0 });
    expect(press(['ArrowDown', 'ArrowDown', 'ArrowDown']).cursor.at).toEqual({ lane: 1, item: 1 });
    expect(press(Array(9).fill('ArrowDown')).cursor.at).toEqual({ lane: 3, item: 0 });
    expect(press(['ArrowUp']).cursor.at).toEqual({ lane: 3, item: 0 });
    expect(press(['ArrowDown', 'ArrowUp', 'ArrowUp']).cursor.at).toEqual({ lane: 0, item: 0 });
  });

  it('moves the selected case: M, the arrows to the analyst, Enter', () => {
    // Second case of avery's, to casey (two lanes down: blake, then casey).
    const { cursor, moves } = press([
      'ArrowDown',
      'ArrowDown',
      'ArrowDown',
      'm',
      'ArrowDown',
      'ArrowDown',
      'Enter',
    ]);
    expect(moves).toEqual([{ number: '2026-000002', from: 'avery', to: 'casey' }]);
    expect(cursor.target).toBeNull();
  });

  it("moves by the analyst's number, and gives a case nobody had to someone", () => {
    expect(press(['ArrowDown', 'ArrowDown', 'M', '2']).moves).toEqual([
      { number: '2026-000001', from: 'avery', to: 'blake' },
    ]);
    expect(press(['ArrowDown', 'Enter', '3']).moves).toEqual([
      { number: '2026-000009', from: null, to: 'casey' },
    ]);
  });

  it('moves nothing on Esc, on the same analyst, or on a number with no analyst', () => {
    expect(press(['ArrowDown', 'ArrowDown', 'm', 'ArrowDown', 'Escape']).moves).toEqual([]);
    expect(press(['ArrowDown', 'ArrowDown', 'm', 'Enter']).moves).toEqual([]);
    const none = press(['ArrowDown', 'ArrowDown', 'm', '9']);
    expect(none.moves).toEqual([]);
    // Still choosing: the wrong number does not drop the choice.
    expect(none.cursor.target).toBe(1);
  });

  it('leaves other keys to the console while not choosing, and keeps them while choosing', () => {
    expect(workloadKey('K', NO_CURSOR, LANES).handled).toBe(false);
    expect(workloadKey('3', NO_CURSOR, LANES).handled).toBe(false);
    expect(workloadKey('m', NO_CURSOR, LANES).handled).toBe(false);
    const choosing = press(['ArrowDown', 'ArrowDown', 'm']).cursor;
    expect(workloadKey('K', choosing, LANES).handled).toBe(true);
    expect(workloadKey('Escape', choosing, LANES)).toMatchObject({ handled: true, move: null });
  });
});

describe('the help screen', () => {
  it("lists the Cases panel's key and the workload's own keys after it", () => {
    const lines = panelShortcutHelp([
      { id: 'cases', key: 'K', label: 'Cases', help: [{ keys: 'M', does: 'move a case' }] },
      { id: 'tips', key: 'T', label: 'Tips' },
    ]);
    expect(lines).toEqual([
      { keys: 'K', does: 'Show the Cases panel' },
      { keys: 'M', does: 'Cases: move a case' },
      { keys: 'T', does: 'Show the Tips panel' },
    ]);
  });
});
