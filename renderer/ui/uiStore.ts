import { create } from 'zustand';

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
}

export const useUiStore = create<UiStore>()((set, get) => ({
  tab: 'map',
  searchRequest: 0,
  helpOpen: false,
  saveLayoutOpen: false,
  changePasswordOpen: false,
  replayRequest: { index: -1, n: 0 },
  swapping: false,
  setTab: (tab) => set({ tab }),
  openSearch: () => set({ tab: 'cameras', searchRequest: get().searchRequest + 1 }),
  focusSearch: () => set({ searchRequest: get().searchRequest + 1 }),
  setHelp: (helpOpen) => set({ helpOpen }),
  setSaveLayout: (saveLayoutOpen) => set({ saveLayoutOpen }),
  setChangePassword: (changePasswordOpen) => set({ changePasswordOpen }),
  requestReplay: (index) => set({ replayRequest: { index, n: get().replayRequest.n + 1 } }),
  setSwapping: (swapping) => set({ swapping }),
}));
