import { create } from 'zustand';
import type { AddressMatch, StreetLayer } from '../../shared/api/addresses';
import { call } from '../app/watchfloor';
import { useMapStore } from './mapStore';

/** A place the analyst went to: an address point or a named place, pinned on the map. */
export interface Pin {
  readonly label: string;
  readonly lat: number;
  readonly lng: number;
}

/** Where the map is asked to go; `n` tells one request from the next. */
export type MapRequest =
  | { readonly n: number; readonly kind: 'fly'; readonly lat: number; readonly lng: number }
  | { readonly n: number; readonly kind: 'city' };

interface PlaceStore {
  /** The map's street layer (docs/address-points.md); null until loaded or where there is none. */
  readonly streets: StreetLayer | null;
  /** Address points and places matching the search box's text, best first. */
  readonly matches: readonly AddressMatch[];
  /** The text `matches` answer: a late answer for older text is dropped. */
  readonly matchesFor: string;
  readonly pin: Pin | null;
  readonly request: MapRequest | null;
  loadStreets(): Promise<void>;
  searchPlaces(text: string): Promise<void>;
  /** Drops the pin, flies there and lists the nearest cameras (the radius tool's list). */
  goTo(place: AddressMatch): void;
  clearPin(): void;
  /** Fits the map to the jurisdiction. */
  wholeCity(): void;
}

/** The label of a match: a place's name with its address, or the address. */
export const placeLabel = (m: Pick<AddressMatch, 'address' | 'place'>) =>
  m.place && m.place !== m.address ? `${m.place} · ${m.address}` : m.address;

let asked = '';

export const usePlaceStore = create<PlaceStore>()((set, get) => ({
  streets: null,
  matches: [],
  matchesFor: '',
  pin: null,
  request: null,
  async loadStreets() {
    const r = await call('addresses.streets', {});
    if (r.ok) set({ streets: r.value.streets.length > 0 ? r.value : null });
  },
  async searchPlaces(text) {
    const q = text.trim();
    asked = q;
    if (q.length < 2) {
      set({ matches: [], matchesFor: q });
      return;
    }
    const r = await call('addresses.search', { q, limit: 5 });
    if (asked !== q) return;
    set({ matches: r.ok ? r.value.addresses : [], matchesFor: q });
  },
  goTo(place) {
    const n = (get().request?.n ?? 0) + 1;
    set({
      pin: { label: placeLabel(place), lat: place.lat, lng: place.lng },
      request: { n, kind: 'fly', lat: place.lat, lng: place.lng },
    });
    useMapStore.getState().setRadiusCenter({ lat: place.lat, lng: place.lng });
  },
  clearPin: () => set({ pin: null }),
  wholeCity() {
    set({ request: { n: (get().request?.n ?? 0) + 1, kind: 'city' } });
  },
}));

// The pin marks the radius tool's centre: it goes when the circle is closed or placed elsewhere.
useMapStore.subscribe((s) => {
  const pin = usePlaceStore.getState().pin;
  const c = s.radiusCenter;
  if (pin && (!c || c.lat !== pin.lat || c.lng !== pin.lng)) usePlaceStore.getState().clearPin();
});
