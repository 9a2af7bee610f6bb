import { describe, expect, it } from 'vitest';
import type { Map as LeafletMap } from 'leaflet';
import { focusMap } from '../../../renderer/map/focusMap';

/** A map that records what it was asked to do, with the size its panel had. */
function fakeMap(size: { x: number; y: number }, zoom: number) {
  const calls: string[] = [];
  const map = {
    invalidateSize: () => calls.push('measure'),
    getSize: () => size,
    getZoom: () => zoom,
    flyTo: (at: [number, number], z: number) => calls.push(`fly ${at.join(',')} ${z}`),
    setView: (at: [number, number], z: number) => calls.push(`jump ${at.join(',')} ${z}`),
  };
  return { map: map as unknown as LeafletMap, calls };
}

describe('bringing the map to a place', () => {
  it('measures, then flies when the map has room, never zooming out', () => {
    const { map, calls } = fakeMap({ x: 800, y: 600 }, 18);
    focusMap(map, { lat: 36.1, lon: -80.25 }, 16);
    expect(calls).toEqual(['measure', 'fly 36.1,-80.25 18']);
  });

  it('jumps when the panel was hidden (no size to fly across)', () => {
    const { map, calls } = fakeMap({ x: 0, y: 0 }, 12);
    focusMap(map, { lat: 36.1, lon: -80.25 }, 17);
    expect(calls).toEqual(['measure', 'jump 36.1,-80.25 17']);
  });
});
