import { create } from 'zustand';
import type { LatLng } from '../../shared/geo';

/** Radius-tool distances an analyst picks from; any other value can be typed. */
export const RADIUS_PRESETS_M = [100, 300, 500, 1000] as const;
export const MAX_RADIUS_M = 5_000;

/** Where the map looks: kept so that a reload opens it there (renderer/app/viewRestore.ts). */
export interface MapViewState {
  readonly lat: number;
  readonly lng: number;
  readonly zoom: number;
}

interface MapStore {
  /** The map's centre and zoom after the last move, or null while it shows the whole city. */
  readonly view: MapViewState | null;
  setView(view: MapViewState | null): void;
  /** The radius tool: waiting for a click on the map, and the circle once placed. */
  readonly picking: boolean;
  readonly radiusCenter: LatLng | null;
  readonly radiusM: number;
  /** The camera whose pop-up is open. */
  readonly popupCameraId: string | null;
  /** Bumped to ask the map to take the keyboard focus. */
  readonly focusRequest: number;
  startPicking(): void;
  cancelRadius(): void;
  setRadiusCenter(center: LatLng): void;
  setRadiusM(m: number): void;
  openPopup(cameraId: string | null): void;
  requestFocus(): void;
}

export const useMapStore = create<MapStore>()((set, get) => ({
  view: null,
  setView: (view) => set({ view }),
  picking: false,
  radiusCenter: null,
  radiusM: 300,
  popupCameraId: null,
  focusRequest: 0,
  startPicking: () => set({ picking: true, popupCameraId: null }),
  cancelRadius: () => set({ picking: false, radiusCenter: null }),
  setRadiusCenter: (radiusCenter) => set({ radiusCenter, picking: false }),
  setRadiusM: (m) => {
    if (Number.isFinite(m)) set({ radiusM: Math.min(MAX_RADIUS_M, Math.max(10, Math.round(m))) });
  },
  openPopup: (popupCameraId) => set({ popupCameraId }),
  requestFocus: () => set({ focusRequest: get().focusRequest + 1 }),
}));
