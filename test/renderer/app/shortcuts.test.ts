import { describe, expect, it } from 'vitest';
import {
  TileNumberInput,
  movedSelection,
  shortcutFor,
  type KeyPress,
} from '../../../renderer/app/shortcuts';
import { ManualClock } from '../../../shared/time/clock';

const key = (k: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  inField: false,
  ...extra,
});

describe('shortcuts', () => {
  it('maps the wall keys', () => {
    expect(shortcutFor(key('3'))).toEqual({ type: 'digit', digit: 3 });
    expect(shortcutFor(key('Enter'))).toEqual({ type: 'maximize' });
    expect(shortcutFor(key('l'))).toEqual({ type: 'nextLayout', step: 1 });
    expect(shortcutFor(key('L', { shiftKey: true }))).toEqual({ type: 'nextLayout', step: -1 });
    const panels = [
      { id: 'map', key: 'M', label: 'Map' },
      { id: 'cameras', key: '/', label: 'Cameras' },
    ];
    expect(shortcutFor(key('m'), panels)).toEqual({ type: 'panel', id: 'map' });
    expect(shortcutFor(key('/'), panels)).toEqual({ type: 'panel', id: 'cameras' });
    expect(shortcutFor(key('k', { ctrlKey: true }))).toEqual({ type: 'search' });
    expect(shortcutFor(key('?', { shiftKey: true }))).toEqual({ type: 'help' });
    expect(shortcutFor(key('ArrowDown'))).toEqual({ type: 'move', dx: 0, dy: 1 });
  });

  it('leaves typing alone, except chords and Escape', () => {
    expect(shortcutFor(key('3', { inField: true }))).toBeNull();
    expect(shortcutFor(key('m', { inField: true }))).toBeNull();
    expect(shortcutFor(key('Escape', { inField: true }))).toEqual({ type: 'restore' });
    expect(shortcutFor(key('k', { ctrlKey: true, inField: true }))).toEqual({ type: 'search' });
    expect(shortcutFor(key('L', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'lock' });
  });

  it('ignores other chords', () => {
    expect(shortcutFor(key('m', { altKey: true }))).toBeNull();
    expect(shortcutFor(key('c', { ctrlKey: true }))).toBeNull();
  });
});

describe('tile numbers from digits', () => {
  it('selects at once, and makes two-digit numbers on walls that have them', () => {
    const clock = new ManualClock(0);
    const input = new TileNumberInput(clock, 800);
    expect(input.press(1, 36)).toBe(0);
    clock.advance(300);
    expect(input.press(2, 36)).toBe(11);
    clock.advance(300);
    // A new number starts after a completed pair.
    expect(input.press(3, 36)).toBe(2);
    clock.advance(1000);
    expect(input.press(4, 36)).toBe(3);
  });

  it('a pair beyond the wall is read as a new single digit', () => {
    const clock = new ManualClock(0);
    const input = new TileNumberInput(clock, 800);
    expect(input.press(3, 9)).toBe(2);
    clock.advance(100);
    expect(input.press(5, 9)).toBe(4);
    expect(input.press(7, 4)).toBeNull();
  });

  it('0 is tile 10 where there is one', () => {
    const input = new TileNumberInput(new ManualClock(0));
    expect(input.press(0, 16)).toBe(9);
    input.reset();
    expect(input.press(0, 9)).toBeNull();
  });

  it('moves the selection inside the grid', () => {
    expect(movedSelection(0, 1, 0, 3, 9)).toBe(1);
    expect(movedSelection(0, 0, 1, 3, 9)).toBe(3);
    expect(movedSelection(0, -1, 0, 3, 9)).toBe(0);
    expect(movedSelection(8, 0, 1, 3, 9)).toBe(8);
  });
});
