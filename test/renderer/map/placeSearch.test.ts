import { beforeEach, describe, expect, it } from 'vitest';
import type { AddressMatch } from '../../../shared/api/addresses';
import { testCamera } from '../support/cameraFixture';

/** A fake `window.watchfloor`: the places the "server" finds, and every call made. */
const calls: { name: string; args: Record<string, unknown> }[] = [];
let answer: AddressMatch[] = [];
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    async call(name: string, args: Record<string, unknown>) {
      calls.push({ name, args });
      if (name === 'addresses.search') return { ok: true, value: { addresses: answer } };
      return { ok: false, error: { status: 404, message: 'no such call' } };
    },
    subscribe: () => () => undefined,
  },
};
const { mergeRows } = await import('../../../renderer/cameras/CameraList');
const { usePlaceStore, placeLabel } = await import('../../../renderer/map/placeStore');
const { useMapStore } = await import('../../../renderer/map/mapStore');

const place = (
  id: string,
  address: string,
  rank: AddressMatch['rank'],
  more: Partial<AddressMatch> = {},
): AddressMatch => ({
  id,
  address,
  place: null,
  kind: 'address',
  lat: 36.1,
  lng: -80.24,
  rank,
  ...more,
});

describe('places among the search results', () => {
  it('puts a place before the first camera that matched no better than it did', () => {
    const a = testCamera('a', { name: 'Main Street Garage' });
    const b = testCamera('b', { name: 'Bank 4', address: '1300 block N Main St' });
    const rows = mergeRows(
      [a, b],
      ['prefix', 'address'],
      [place('p', '1300 block N Main St', 'name')],
    );
    expect(rows.map((r) => (r.type === 'camera' ? r.camera.id : r.place.id))).toEqual([
      'a',
      'p',
      'b',
    ]);
    // An exact address goes first; a weak one after every better camera.
    const exact = mergeRows(
      [a, b],
      ['prefix', 'address'],
      [place('p', 'x', 'exact'), place('q', 'y', 'partial')],
    );
    expect(exact.map((r) => (r.type === 'camera' ? r.camera.id : r.place.id))).toEqual([
      'p',
      'a',
      'b',
      'q',
    ]);
  });

  it('labels a place by its name and address, an address by itself', () => {
    expect(placeLabel({ address: '3320 Silas Creek Pkwy', place: 'Hanes Mall' })).toBe(
      'Hanes Mall · 3320 Silas Creek Pkwy',
    );
    expect(placeLabel({ address: 'Courthouse Square', place: 'Courthouse Square' })).toBe(
      'Courthouse Square',
    );
  });
});

describe('the place store', () => {
  beforeEach(() => {
    calls.length = 0;
    useMapStore.setState({ radiusCenter: null, picking: false });
    usePlaceStore.setState({ pin: null, request: null, matches: [], matchesFor: '' });
  });

  it('searches the server for two letters or more, and keeps only the answer for the latest text', async () => {
    await usePlaceStore.getState().searchPlaces('m');
    expect(calls).toEqual([]);
    answer = [place('p', '1300 block N Main St', 'prefix')];
    const first = usePlaceStore.getState().searchPlaces('13');
    answer = [place('q', '1300 block N Main St', 'prefix')];
    const second = usePlaceStore.getState().searchPlaces('1300 block');
    await Promise.all([first, second]);
    expect(calls.map((c) => c.args.q)).toEqual(['13', '1300 block']);
    expect(usePlaceStore.getState().matchesFor).toBe('1300 block');
    expect(usePlaceStore.getState().matches.map((m) => m.id)).toEqual(['q']);
  });

  it('going to a place drops the pin, asks the map to fly there and centres the radius list on it', () => {
    usePlaceStore
      .getState()
      .goTo(place('p', '1300 block N Main St', 'exact', { lat: 36.11, lng: -80.25 }));
    expect(usePlaceStore.getState().pin).toEqual({
      label: '1300 block N Main St',
      lat: 36.11,
      lng: -80.25,
    });
    expect(usePlaceStore.getState().request).toMatchObject({
      kind: 'fly',
      lat: 36.11,
      lng: -80.25,
    });
    expect(useMapStore.getState().radiusCenter).toEqual({ lat: 36.11, lng: -80.25 });
    // Closing the radius tool takes the pin away with it.
    useMapStore.getState().cancelRadius();
    expect(usePlaceStore.getState().pin).toBeNull();
  });

  it('"whole city" is a new request each time', () => {
    usePlaceStore.getState().wholeCity();
    const first = usePlaceStore.getState().request;
    usePlaceStore.getState().wholeCity();
    expect(first?.kind).toBe('city');
    expect(usePlaceStore.getState().request!.n).toBe(first!.n + 1);
  });
});
