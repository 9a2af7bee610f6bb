import { describe, expect, it } from 'vitest';
import type { Map as LeafletMap } from 'leaflet';
import { clearMiddle, focusMap } from '../../../renderer/map/focusMap';

/** A map that records what it was asked to do, with the size its panel had (1 px = 1 unit). */
function fakeMap(size: { x: number; y: number }, zoom: number) {
  const calls: string[] = [];
  const map = {
    invalidateSize: () => calls.push('measure'),
    getSize: () => size,
    getZoom: () => zoom,
    project: ([lat, lng]: [number, number]) => ({ x: lng, y: -lat }),
    unproject: ([x, y]: [number, number]) => ({ lat: -y, lng: x }),
    flyTo: (at: [number, number], z: number) => calls.push(`fly ${at.join(',')} ${z}`),
    setView: (at: [number, number], z: number) => calls.push(`jump ${at.join(',')} ${z}`),
  };
  return { map: map as unknown as LeafletMap, calls };
}

describe('bringing the map to a place', () => {
  it('measures, then flies when the map has room, never zooming out', () => {
    const { map, calls } = fakeMap({ x: 800, y: 600 }, 18);
    focusMap(map, { lat: 36, lon: -80 }, 16);
    expect(calls).toEqual(['measure', 'fly 36,-80 18']);
  });

  it('jumps when the panel was hidden (no size to fly across)', () => {
    const { map, calls } = fakeMap({ x: 0, y: 0 }, 12);
    focusMap(map, { lat: 36.1, lon: -80.25 }, 17);
    expect(calls).toEqual(['measure', 'jump 36.1,-80.25 17']);
  });
});

describe('where a place lands among the map’s overlays', () => {
  it('is the middle of the map when nothing covers it', () => {
    expect(clearMiddle(600, [])).toBe(300);
  });

  it('is the middle of the band between the tools above and the radius list below', () => {
    // Tools 8-40 px from the top; the radius list from 250 px down to 540 px.
    expect(
      clearMiddle(600, [
        { top: 8, bottom: 40 },
        { top: 250, bottom: 540 },
      ]),
    ).toBe(145);
  });

  it('ignores overlays outside the map, and a band too thin to aim at', () => {
    expect(
      clearMiddle(600, [
        { top: -50, bottom: 0 },
        { top: 600, bottom: 700 },
      ]),
    ).toBe(300);
    expect(
      clearMiddle(600, [
        { top: 0, bottom: 280 },
        { top: 320, bottom: 600 },
      ]),
    ).toBe(300);
  });
});

describe('a flight with the radius list open', () => {
  it('lands the place in the clear band above the list, not under it', () => {
    const { map, calls } = fakeMap({ x: 800, y: 600 }, 16);
    const box = (top: number, bottom: number) => ({
      getBoundingClientRect: () => ({ top, bottom }),
    });
    const wrap = { querySelectorAll: () => [box(108, 140), box(350, 640)] };
    Object.assign(map, { getContainer: () => ({ parentElement: wrap, ...box(100, 700) }) });
    focusMap(map, { lat: 36, lon: -80 }, 16);
    // Clear from 40 to 250 px: its middle, 145 px, is 155 px above the map's; the centre moves
    // 155 px south so that the place lands there.
    expect(calls).toEqual(['measure', 'fly -119,-80 16']);
  });
});
