import { describe, expect, it } from 'vitest';
import { shortcutFor, SHORTCUT_HELP, type KeyPress } from '../../../renderer/app/shortcuts';
import {
  SIDE_MAX_PCT,
  SIDE_MIN_PCT,
  clampSideWidth,
  useUiStore,
} from '../../../renderer/ui/uiStore';

const chord = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: true,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  inField: false,
  ...over,
});

describe('the side panel', () => {
  it('is hidden and shown with Ctrl+B, even from a field, and the help says so', () => {
    expect(shortcutFor(chord('b'))).toEqual({ type: 'toggleSide' });
    expect(shortcutFor(chord('B', { inField: true }))).toEqual({ type: 'toggleSide' });
    expect(shortcutFor(chord('b', { shiftKey: true }))).toBeNull();
    expect(SHORTCUT_HELP.some((h) => h.keys === 'Ctrl+B')).toBe(true);
  });

  it('keeps a usable list and at least half the window for the wall', () => {
    expect(clampSideWidth(5)).toBe(SIDE_MIN_PCT);
    expect(clampSideWidth(90)).toBe(SIDE_MAX_PCT);
    expect(clampSideWidth(27.345)).toBe(27.3);
    useUiStore.getState().setSideWidth(70);
    expect(useUiStore.getState().sideWidthPct).toBe(SIDE_MAX_PCT);
    const hidden = useUiStore.getState().sideHidden;
    useUiStore.getState().toggleSide();
    expect(useUiStore.getState().sideHidden).toBe(!hidden);
    useUiStore.getState().toggleSide();
    expect(useUiStore.getState().sideHidden).toBe(hidden);
  });
});
