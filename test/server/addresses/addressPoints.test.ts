import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { auditRows, countRows, eventsOfType } from '../cameras/cameraFixtures';
import { importAddresses } from '../../../server/addresses/importAddresses';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import type { AddressImportResult, AddressMatch } from '../../../shared/api/addresses';

/** Line numbers are an editor's: the header is line 1. */
const CSV = [
  'address,place,kind,lat,lng',
  '1300 block N Main St,,,36.1101,-80.2441', // 2
  '200 block N Main St,,,36.0990,-80.2440', // 3
  'Courthouse Square,Courthouse Square,place,36.0968,-80.2437', // 4
  ',,,36.1,-80.2', // 5: neither address nor place
  '100 block Polo Rd,,,95,-80.2', // 6: latitude out of range
  '100 block Polo Rd,,,36.12,west', // 7: longitude not a number
  '100 block Polo Rd,,street,36.12,-80.25', // 8: unknown kind
  '1300 BLOCK  n main st,,,36.2,-80.3', // 9: repeats line 2 (case and spacing aside)
  '400 block W 4th St,,,36.0975,-80.2480,extra', // 10: one field too many
  '3100 block Stratford Rd,,,36.0905,-80.2935', // 11
].join('\n');

const GEOJSON = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-80.3089, 36.0672] },
      properties: { place: 'Hanes Mall', address: '3320 Silas Creek Pkwy' },
    },
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: {} },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-80.25, 36.1] },
      properties: { address: 'x', owner: 'not a column' },
    },
    { type: 'Nope' },
  ],
});

describe.each(STORE_KINDS)('address points on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;

  beforeEach(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
  });
  afterEach(async () => {
    await t.close();
  });

  const importCsv = async (content = CSV) => {
    const res = await t.as(admin, 'POST', '/v1/addresses/import', { format: 'csv', content });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AddressImportResult;
  };
  const search = async (q: string, user = analyst) => {
    const res = await t.as(user, 'GET', `/v1/addresses?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { addresses: AddressMatch[] }).addresses;
  };

  it('imports the good rows of a CSV and reports each bad one by its line, column first', async () => {
    const r = await importCsv();
    expect(r.created).toBe(4);
    expect(r.rejected.map((x) => x.row)).toEqual([5, 6, 7, 8, 9, 10]);
    const reason = (row: number) => r.rejected.find((x) => x.row === row)!.reason;
    expect(reason(5)).toMatch(/^address: give an address, or a place name/);
    expect(reason(6)).toMatch(/^lat: /);
    expect(reason(7)).toMatch(/^lng: /);
    expect(reason(8)).toMatch(/^kind: "street" is not one of address, place, intersection/);
    expect(reason(9)).toBe('address: repeats row 2 ("1300 BLOCK  n main st")');
    expect(reason(10)).toMatch(/could not be read as CSV/);
    expect(await countRows(t, 'address_points')).toBe(4);
    const audit = await auditRows(t, 'address.import');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ format: 'csv', created: 4, rejected: 6 });
    expect(await eventsOfType(t, 'addresses.imported')).toHaveLength(1);
  });

  it('imports the same file again without changing anything, and updates a point that moved', async () => {
    await importCsv();
    const again = await importCsv();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(await countRows(t, 'address_points')).toBe(4);
    // The second import committed no change: no second event.
    expect(await eventsOfType(t, 'addresses.imported')).toHaveLength(1);

    const moved = await importCsv('address,lat,lng\n200 block N Main St,36.0995,-80.2445\n');
    expect(moved).toMatchObject({ created: 0, updated: 1, unchanged: 0, rejected: [] });
    const [hit] = await search('200 block n main');
    expect(hit).toMatchObject({ address: '200 block N Main St', lat: 36.0995, lng: -80.2445 });
    expect(await countRows(t, 'address_points')).toBe(4);
  });

  it('imports GeoJSON points and refuses features that are not address points', async () => {
    const res = await t.as(admin, 'POST', '/v1/addresses/import', {
      format: 'geojson',
      content: GEOJSON,
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as AddressImportResult;
    expect(r.created).toBe(1);
    expect(r.rejected).toEqual([
      { row: 2, reason: 'geometry: an address point is a Point with coordinates [lng, lat]' },
      { row: 3, reason: 'unknown property "owner"; the properties are address, place, kind' },
      { row: 4, reason: 'not a GeoJSON Feature' },
    ]);
    const [mall] = await search('hanes');
    expect(mall).toMatchObject({
      place: 'Hanes Mall',
      address: '3320 Silas Creek Pkwy',
      kind: 'place',
      lat: 36.0672,
      lng: -80.3089,
      rank: 'prefix',
    });
  });

  it('refuses a file that is not an address file as a whole, storing nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['csv', 'kind,name,lat,lng\nregistered,x,1,2\n', /not an address CSV.*unknown: "name"/],
      ['csv', 'address,place\nx,y\n', /must name lat, lng/],
      ['geojson', '{"type":"Feature"}', /not a GeoJSON FeatureCollection/],
      ['geojson', 'not json', /not valid JSON/],
      ['csv', 'address,lat,lng\n\u0000\u0001', /content: text must not contain/],
    ];
    for (const [format, content, message] of cases) {
      const res = await t.as(admin, 'POST', '/v1/addresses/import', { format, content });
      expect(res.statusCode, content).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    expect(await countRows(t, 'address_points')).toBe(0);
    expect(await auditRows(t, 'address.import')).toEqual([]);
  });

  it('lets only those who manage the agency import, and everyone who reads the map search', async () => {
    const res = await t.as(analyst, 'POST', '/v1/addresses/import', {
      format: 'csv',
      content: CSV,
    });
    expect(res.statusCode).toBe(403);
    expect(await countRows(t, 'address_points')).toBe(0);
    await importCsv();
    const officer = await t.user('officer');
    expect((await search('courthouse', officer)).map((a) => a.address)).toEqual([
      'Courthouse Square',
    ]);
  });

  it('ranks as the camera search does: as typed, then the start, then words, then inside a word', async () => {
    await importAddresses(
      t.app.ctx,
      {
        format: 'csv',
        content: [
          'address,place,lat,lng',
          '1300 block N Main St,,36.11,-80.24',
          '300 block N Main St,,36.10,-80.24',
          '130 block Main Ave,,36.09,-80.24',
          'Main Street Station,Main Street Station,36.095,-80.245',
          '2300 block Domain Dr,,36.08,-80.25',
          '100 block 50%_Off St,,36.07,-80.25',
        ].join('\n'),
      },
      SYSTEM_ACTOR,
    );
    const list = async (q: string) => (await search(q)).map((a) => `${a.rank}:${a.address}`);
    expect(await list('300 block n main st')).toEqual([
      'exact:300 block N Main St',
      'partial:1300 block N Main St',
    ]);
    expect(await list('main')).toEqual([
      'prefix:Main Street Station',
      'name:130 block Main Ave',
      'name:300 block N Main St',
      'name:1300 block N Main St',
      'partial:2300 block Domain Dr',
    ]);
    // "30" starts no word of "1300 block" or "130": only inside them, after the address it starts.
    expect(await list('30')).toEqual([
      'prefix:300 block N Main St',
      'partial:130 block Main Ave',
      'partial:1300 block N Main St',
      'partial:2300 block Domain Dr',
    ]);
    // LIKE's wildcards are typed text, not patterns; punctuation alone is no word to find.
    expect(await list('50%_off')).toEqual(['name:100 block 50%_Off St']);
    expect(await list('%_')).toEqual([]);
    expect(await list('main zzz')).toEqual([]);
    const res = await t.as(analyst, 'GET', '/v1/addresses?q=main&limit=2');
    expect(res.json().addresses).toHaveLength(2);
  });
});
