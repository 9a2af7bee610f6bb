import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgency } from '../../../server/agency/agencyRepository';
import { importAddresses } from '../../../server/addresses/importAddresses';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { STREETS_URL, mapOverlayUrl } from '../../../server/portal/registrationMap';
import type { StreetLayer } from '../../../shared/api/addresses';
import { TEST_CITY } from '../../support/testCity';
import { startPortalApp, type PortalApp } from './portalSupport';

/**
 * What the portal's map pin reads (docs/portal.md, "Location"): the outline, whether the address
 * search has anything to find, and the agency's street layer as same-origin GeoJSON, which is the
 * layer the console's map draws.
 */
describe('the map pin’s data', () => {
  let t: PortalApp;
  const get = (url: string) =>
    t.app.api.inject({ method: 'GET', url, remoteAddress: '203.0.113.40' });

  beforeAll(async () => {
    t = await startPortalApp('pglite');
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('has no streets and no search where the agency has neither', async () => {
    const area = await get('/portal/map/area.json');
    expect(area.statusCode).toBe(200);
    expect(area.json()).toEqual({
      outline: TEST_CITY.jurisdiction,
      overlayUrl: null,
      addressSearch: false,
    });
    expect(mapOverlayUrl(TEST_CITY)).toBeNull();
    const streets = await get(STREETS_URL);
    expect(streets.statusCode).toBe(404);
    expect(streets.headers['content-type']).toMatch(/^text\/html/);
    expect(streets.body).toContain('This site has no street map.');
  });

  it('serves the console’s street layer as GeoJSON, cacheable, and offers the search once there are address points', async () => {
    await setAgency(t.store.store, { ...TEST_CITY, demo: true }, new Date(t.clock.now()));
    await importAddresses(
      t.app.ctx,
      { format: 'csv', content: 'address,place,kind,lat,lng\n100 block N Main St,,,36.1,-80.24' },
      SYSTEM_ACTOR,
    );
    const area = (await get('/portal/map/area.json')).json() as Record<string, unknown>;
    expect(area).toMatchObject({ overlayUrl: STREETS_URL, addressSearch: true });

    const res = await get(STREETS_URL);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    const geo = res.json() as {
      type: string;
      attribution: string;
      features: {
        type: string;
        properties: { name: string | null; class: string };
        geometry: { type: string; coordinates: number[][] };
      }[];
    };
    // The same streets, in the same order, as the console's map is given.
    const analyst = await t.user('analyst');
    const layer = (await t.as(analyst, 'GET', '/v1/addresses/streets')).json() as StreetLayer;
    expect(layer.streets.length).toBeGreaterThan(100);
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.attribution).toBe(layer.attribution);
    expect(geo.features).toEqual(
      layer.streets.map((s) => ({
        type: 'Feature',
        properties: { name: s.name, class: s.class },
        geometry: { type: 'LineString', coordinates: s.line },
      })),
    );
  });
});
