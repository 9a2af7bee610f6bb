import { create } from 'zustand';
import type { WallGrid } from '../../shared/domain/layouts';

interface UiStore {
  /** The side panel showing: a console module's id (modules.ts). */
  readonly tab: string;
  /** Bumped to focus the camera search. */
  readonly searchRequest: number;
  readonly helpOpen: boolean;
  readonly saveLayoutOpen: boolean;
  readonly changePasswordOpen: boolean;
  /** Instant replay asked for by keyboard on a tile. */
  readonly replayRequest: { readonly index: number; readonly n: number };
  /** Waiting for a tile number to swap the selected tile with. */
  readonly swapping: boolean;
  /** The side panel's share of the window's width, in per cent (the analyst drags it). */
  readonly sideWidthPct: number;
  /** The side panel is hidden: the wall takes the whole width. */
  readonly sideHidden: boolean;
  /** A grid switch waiting for the analyst's yes, because it would take cameras off the wall. */
  readonly gridConfirm: { readonly grid: WallGrid; readonly dropped: readonly string[] } | null;
  setTab(tab: string): void;
  /** Shows the camera list and focuses its search. */
  openSearch(): void;
  /** Focuses the camera search (its panel is already showing). */
  focusSearch(): void;
  setHelp(open: boolean): void;
  setSaveLayout(open: boolean): void;
  setChangePassword(open: boolean): void;
  requestReplay(index: number): void;
  setSwapping(swapping: boolean): void;
  setSideWidth(pct: number): void;
  toggleSide(): void;
  setGridConfirm(confirm: UiStore['gridConfirm']): void;
}

/** The side panel is at least this wide (a usable list) and leaves the wall at least half. */
export const SIDE_MIN_PCT = 18;
export const SIDE_MAX_PCT = 50;
const SIDE_KEY = 'wf.sidePanel';

export const clampSideWidth = (pct: number) =>
  Math.round(Math.min(SIDE_MAX_PCT, Math.max(SIDE_MIN_PCT, pct)) * 10) / 10;

/** The analyst's last side panel width and whether it was hidden, kept on this machine. */
function savedSide(): { sideWidthPct: number; sideHidden: boolean } {
  const fallback = { sideWidthPct: 38, sideHidden: false };
  try {
    const raw = globalThis.localStorage?.getItem(SIDE_KEY);
    if (!raw) return fallback;
    const parsed = JSON.parse(raw) as { widthPct?: unknown; hidden?: unknown };
    return {
      sideWidthPct:
        typeof parsed.widthPct === 'number' && Number.isFinite(parsed.widthPct)
          ? clampSideWidth(parsed.widthPct)
          : fallback.sideWidthPct,
      sideHidden: parsed.hidden === true,
    };
  } catch {
    return fallback;
  }
}

function saveSide(widthPct: number, hidden: boolean): void {
  try {
    globalThis.localStorage?.setItem(SIDE_KEY, JSON.stringify({ widthPct, hidden }));
  } catch {
    // Storage full or refused: the width is kept for this session only.
  }
}

export const useUiStore = create<UiStore>()((set, get) => ({
  tab: 'map',
  searchRequest: 0,
  helpOpen: false,
  saveLayoutOpen: false,
  changePasswordOpen: false,
  replayRequest: { index: -1, n: 0 },
  swapping: false,
  ...savedSide(),
  gridConfirm: null,
  setGridConfirm: (gridConfirm) => set({ gridConfirm }),
  setTab: (tab) => set({ tab }),
  openSearch: () => set({ tab: 'cameras', searchRequest: get().searchRequest + 1 }),
  focusSearch: () => set({ searchRequest: get().searchRequest + 1 }),
  setHelp: (helpOpen) => set({ helpOpen }),
  setSaveLayout: (saveLayoutOpen) => set({ saveLayoutOpen }),
  setChangePassword: (changePasswordOpen) => set({ changePasswordOpen }),
  requestReplay: (index) => set({ replayRequest: { index, n: get().replayRequest.n + 1 } }),
  setSwapping: (swapping) => set({ swapping }),
  setSideWidth: (pct) => {
    const sideWidthPct = clampSideWidth(pct);
    set({ sideWidthPct });
    saveSide(sideWidthPct, get().sideHidden);
  },
  toggleSide: () => {
    const sideHidden = !get().sideHidden;
    set({ sideHidden });
    saveSide(get().sideWidthPct, sideHidden);
  },
}));
