/**
 * The console's keyboard map, as a pure function from a key press to an action, so that the
 * map is tested without a DOM and the help overlay lists exactly what the handler does.
 */
import type { Clock } from '../../shared/time/clock';
import type { PtzCommand } from '../../shared/api/cameras';

export type ShortcutAction =
  | { readonly type: 'digit'; readonly digit: number }
  | { readonly type: 'move'; readonly dx: number; readonly dy: number }
  | { readonly type: 'maximize' }
  | { readonly type: 'restore' }
  | { readonly type: 'nextLayout'; readonly step: 1 | -1 }
  /** Show a console module's side panel (modules.ts gives each its key). */
  | { readonly type: 'panel'; readonly id: string }
  | { readonly type: 'focusWall' }
  | { readonly type: 'search' }
  | { readonly type: 'clearTile' }
  | { readonly type: 'replay' }
  | { readonly type: 'swap' }
  | { readonly type: 'saveLayout' }
  | { readonly type: 'popOut' }
  | { readonly type: 'radius' }
  | { readonly type: 'lock' }
  | { readonly type: 'toggleSide' }
  /** Recall the n-th saved layout of the menu (0-based). */
  | { readonly type: 'recallLayout'; readonly index: number }
  | { readonly type: 'help' }
  /** Digital zoom of the selected tile: closer, further (0 resets; see useShortcuts). */
  | { readonly type: 'zoom'; readonly step: 1 | -1 }
  /** One frame back or forward in the selected tile's replay. */
  | { readonly type: 'frameStep'; readonly step: -1 | 1 }
  /** A PTZ step of the selected tile's camera, where its policy allows it. */
  | { readonly type: 'ptz'; readonly command: PtzCommand };

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  /** Typing into a field: only chords and Escape count as shortcuts then. */
  readonly inField: boolean;
}

export interface ShortcutHelp {
  readonly keys: string;
  readonly does: string;
}

export const SHORTCUT_HELP: readonly ShortcutHelp[] = [
  { keys: '1 … 9, then a second digit', does: 'Select a tile (type 1 then 2 for tile 12)' },
  { keys: '← ↑ → ↓', does: 'Move the tile selection' },
  { keys: 'Enter or F', does: 'Maximise the selected tile, or restore the grid' },
  { keys: 'Esc', does: 'Restore the grid; close a dialog or the search' },
  { keys: 'L / Shift+L', does: 'Next / previous wall layout' },
  {
    keys: 'Alt+1 … Alt+9',
    does: 'Recall a saved layout (the center’s first, as the menu lists them)',
  },
  { keys: 'S, then a tile number', does: 'Swap the selected tile with that tile' },
  { keys: 'R', does: 'Instant replay of the last 30 s on the selected tile' },
  { keys: 'Delete', does: 'Take the camera off the selected tile' },
  { keys: 'W', does: 'Jump to the wall' },
  { keys: 'Ctrl+K', does: 'Search cameras (Enter puts the camera on the selected tile)' },
  { keys: 'C', does: 'Radius tool: cameras within a distance of a point on the map' },
  { keys: 'Ctrl+S', does: 'Save the wall as a named layout' },
  { keys: 'P', does: 'Pop the wall out to another display' },
  { keys: 'Ctrl+Shift+L', does: 'Lock the console now' },
  { keys: 'Ctrl+B', does: 'Hide or show the side panel (drag its edge to resize it)' },
  {
    keys: '+ / −',
    does: 'Digital zoom in / out on the selected tile (or wheel, pinch; drag pans)',
  },
  {
    keys: '0',
    does: 'Reset the selected tile’s digital zoom (on a wall of 10 or more tiles, while it is zoomed)',
  },
  { keys: ', / .', does: 'One frame back / forward in the selected tile’s replay (pauses it)' },
  { keys: 'Shift+← ↑ → ↓', does: 'PTZ: pan and tilt the selected tile’s camera, where allowed' },
  { keys: 'Page Up / Page Down', does: 'PTZ: zoom the selected tile’s camera in / out' },
  { keys: 'Home', does: 'PTZ: send the selected tile’s camera to its home position' },
  { keys: '?', does: 'This help' },
];

/** A side panel's shortcut, as the console's modules declare it. */
export interface PanelKey {
  readonly id: string;
  readonly key: string;
  readonly label: string;
  /** Keys the panel's own views take while focused. */
  readonly help?: readonly ShortcutHelp[];
}

/** The help lines of the panels' shortcuts, each followed by its panel's own keys, in tab order. */
export function panelShortcutHelp(panels: readonly PanelKey[]): ShortcutHelp[] {
  return panels.flatMap((p) => [
    { keys: p.key, does: `Show the ${p.label} panel` },
    ...(p.help ?? []).map((h) => ({ keys: h.keys, does: `${p.label}: ${h.does}` })),
  ]);
}

const SHIFT_ARROW_PTZ: Readonly<Record<string, PtzCommand>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

export function shortcutFor(k: KeyPress, panels: readonly PanelKey[] = []): ShortcutAction | null {
  const chord = k.ctrlKey || k.metaKey;
  if (chord && k.shiftKey && k.key.toLowerCase() === 'l') return { type: 'lock' };
  if (chord && !k.shiftKey && k.key.toLowerCase() === 'k') return { type: 'search' };
  if (chord && !k.shiftKey && k.key.toLowerCase() === 's') return { type: 'saveLayout' };
  if (chord && !k.shiftKey && k.key.toLowerCase() === 'b') return { type: 'toggleSide' };
  if (k.key === 'Escape') return { type: 'restore' };
  if (k.altKey && !chord && !k.shiftKey && /^[1-9]$/.test(k.key)) {
    return { type: 'recallLayout', index: Number(k.key) - 1 };
  }
  if (k.inField || chord || k.altKey) return null;
  if (/^[0-9]$/.test(k.key)) return { type: 'digit', digit: Number(k.key) };
  const panel = panels.find((p) => p.key.toLowerCase() === k.key.toLowerCase());
  if (panel) return { type: 'panel', id: panel.id };
  if (k.shiftKey) {
    const ptz = SHIFT_ARROW_PTZ[k.key];
    if (ptz) return { type: 'ptz', command: ptz };
  }
  switch (k.key) {
    case '+':
    case '=':
      return { type: 'zoom', step: 1 };
    case '-':
      return { type: 'zoom', step: -1 };
    case ',':
      return { type: 'frameStep', step: -1 };
    case '.':
      return { type: 'frameStep', step: 1 };
    case 'PageUp':
      return { type: 'ptz', command: 'zoom_in' };
    case 'PageDown':
      return { type: 'ptz', command: 'zoom_out' };
    case 'Home':
      return { type: 'ptz', command: 'home' };
    case 'ArrowLeft':
      return { type: 'move', dx: -1, dy: 0 };
    case 'ArrowRight':
      return { type: 'move', dx: 1, dy: 0 };
    case 'ArrowUp':
      return { type: 'move', dx: 0, dy: -1 };
    case 'ArrowDown':
      return { type: 'move', dx: 0, dy: 1 };
    case 'Enter':
    case 'f':
    case 'F':
      return { type: 'maximize' };
    case 'l':
      return { type: 'nextLayout', step: 1 };
    case 'L':
      return { type: 'nextLayout', step: -1 };
    case 'w':
    case 'W':
      return { type: 'focusWall' };
    case 'Delete':
    case 'Backspace':
      return { type: 'clearTile' };
    case 'r':
    case 'R':
      return { type: 'replay' };
    case 's':
    case 'S':
      return { type: 'swap' };
    case 'p':
    case 'P':
      return { type: 'popOut' };
    case 'c':
    case 'C':
      return { type: 'radius' };
    case '?':
      return { type: 'help' };
    default:
      return null;
  }
}

/**
 * Tile numbers typed as digits. The first digit selects at once; a second within `windowMs`
 * makes a two-digit number when the wall has that many tiles (6x6 has 36).
 */
export class TileNumberInput {
  private first: { digit: number; at: number } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = 800,
  ) {}

  /** The tile index (0-based) the digits now name, or null if none. */
  press(digit: number, tileCount: number): number | null {
    const now = this.clock.now();
    const prev = this.first;
    if (prev && now - prev.at <= this.windowMs) {
      const n = prev.digit * 10 + digit;
      this.first = null;
      if (prev.digit > 0 && n >= 1 && n <= tileCount) return n - 1;
    }
    this.first = { digit, at: now };
    if (digit === 0) return tileCount >= 10 ? 9 : null;
    return digit <= tileCount ? digit - 1 : null;
  }

  reset(): void {
    this.first = null;
  }

  /** Whether a first digit is waiting for a second. */
  pending(): boolean {
    return this.first !== null && this.clock.now() - this.first.at <= this.windowMs;
  }
}

/** The tile reached by moving the selection in a grid of `columns`, clamped to the wall. */
export function movedSelection(
  selected: number,
  dx: number,
  dy: number,
  columns: number,
  count: number,
): number {
  const next = selected + dx + dy * columns;
  return next >= 0 && next < count ? next : selected;
}
