import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/testApp';
import { importAddresses } from '../../../server/addresses/importAddresses';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import {
  PORTAL_ADDRESS_RESULTS,
  PORTAL_ADDRESS_SEARCHES_PER_HOUR,
} from '../../../server/portal/addressRoutes';
import { SUBMISSION_WINDOW_MS } from '../../../server/portal/submissionLimit';

/** The portal's public address search (docs/portal.md): a pick list for the registration form. */
describe('GET /portal/addresses', () => {
  let t: TestApp;
  const get = (q: string, address = '203.0.113.7') =>
    t.app.api.inject({
      method: 'GET',
      url: `/portal/addresses?q=${encodeURIComponent(q)}`,
      remoteAddress: address,
    });

  beforeAll(async () => {
    t = await startTestApp('pglite');
    const rows = Array.from(
      { length: 12 },
      (_, i) => `${(i + 1) * 100} block N Main St,,,36.1,-80.24`,
    );
    await importAddresses(
      t.app.ctx,
      {
        format: 'csv',
        content: [
          'address,place,kind,lat,lng',
          ...rows,
          'Courthouse Square,Courthouse Square,place,36.0968,-80.2437',
        ].join('\n'),
      },
      SYSTEM_ACTOR,
    );
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('answers at most eight matches, each only its text and position, without signing in', async () => {
    const res = await get('main');
    expect(res.statusCode).toBe(200);
    const { addresses } = res.json() as { addresses: Record<string, unknown>[] };
    expect(addresses).toHaveLength(PORTAL_ADDRESS_RESULTS);
    expect(addresses[0]).toEqual({ address: '100 block N Main St', lat: 36.1, lng: -80.24 });
    for (const a of addresses) expect(Object.keys(a).sort()).toEqual(['address', 'lat', 'lng']);
    expect((await get('courthouse')).json().addresses).toEqual([
      { address: 'Courthouse Square', lat: 36.0968, lng: -80.2437 },
    ]);
  });

  it('refuses a missing, short or odd query with a sentence', async () => {
    const short = await get('m');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toBe('type at least two letters of the address');
    const none = await t.app.api.inject({ method: 'GET', url: '/portal/addresses' });
    expect(none.statusCode).toBe(400);
    expect(typeof none.json().message).toBe('string');
    const other = await t.app.api.inject({
      method: 'GET',
      url: '/portal/addresses?q=main&owner=1',
    });
    expect(other.statusCode).toBe(400);
  });

  it('limits each client address per hour, and lets it search again in the next hour', async () => {
    const address = '198.51.100.9';
    for (let i = 0; i < PORTAL_ADDRESS_SEARCHES_PER_HOUR; i++) {
      expect((await get('main', address)).statusCode).toBe(200);
    }
    const over = await get('main', address);
    expect(over.statusCode).toBe(429);
    expect(over.json().message).toMatch(/^Too many searches from this connection/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not held back by this one.
    expect((await get('main', '198.51.100.10')).statusCode).toBe(200);
    t.clock.advance(SUBMISSION_WINDOW_MS);
    expect((await get('main', address)).statusCode).toBe(200);
  });
});
