import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgency } from '../../../server/agency/agencyRepository';
import { TEST_CITY } from '../../support/testCity';
import { STORE_KINDS } from '../../support/stores';
import {
  burstThenKill,
  crashSite,
  seedIntegration,
  type CrashSite,
} from '../../support/crashServer';
import { cadIncident } from './incidentFixtures';

/**
 * The real server, killed with SIGKILL in the middle of a burst of CAD updates: every incident it
 * acknowledged is there after a restart, and the CAD's retries of everything make each incident
 * exactly one record that opened exactly once.
 */

const BURST = 200;
const IN_FLIGHT = 16;
const KILL_AFTER = 50;

describe.each(STORE_KINDS)('CAD ingest across a crash on %s', (kind) => {
  let site: CrashSite;
  let key = '';

  beforeAll(async () => {
    site = await crashSite(kind, 'cad');
    await site.prepare(async (store) => {
      const at = new Date();
      key = await seedIntegration(store, 'burst-cad', 'cad');
      await setAgency(
        store,
        {
          ...TEST_CITY,
        },
        at,
      );
    });
  });
  afterAll(() => site.dispose());

  const post = (url: string, i: number) =>
    fetch(`${url}/v1/ingest/cad/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        cadIncident(`26-9${String(i).padStart(5, '0')}`, {
          priority: 1 + (i % 4),
          location: {
            address: `${100 + i} N Main St`,
            position: { lat: 36.1 + (i % 40) * 0.001, lon: -80.25 },
          },
        }),
      ),
    }).then(
      (r) => r.status,
      () => 0,
    );

  it('keeps every acknowledged incident once, and a retry of all opens each once', async () => {
    const first = await site.start();
    const { acknowledged, statuses, killed } = await burstThenKill(
      first,
      (i) => post(first.url, i),
      { total: BURST, inFlight: IN_FLIGHT, killAfter: KILL_AFTER },
    );
    expect(killed).toBe(true);
    expect(statuses.filter((s) => s !== 200 && s !== 0)).toEqual([]);
    expect(acknowledged.size).toBeLessThan(BURST);

    const afterCrash = await site.openStore();
    try {
      const rows = await afterCrash.query<{ number: string }>('select number from incidents');
      const kept = new Set(rows.rows.map((r) => r.number));
      for (const i of acknowledged) {
        const number = `26-9${String(i).padStart(5, '0')}`;
        expect(kept.has(number), number).toBe(true);
      }
    } finally {
      await afterCrash.close();
    }

    // The CAD sends everything again, as a CAD catching up after an outage does.
    const second = await site.start();
    for (let i = 0; i < BURST; i++) expect(await post(second.url, i)).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;

    const store = await site.openStore();
    try {
      const rows = await store.query<{ number: string; n: number }>(
        'select number, count(*)::int as n from incidents group by number',
      );
      expect(rows.rows).toHaveLength(BURST);
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
      const opened = await store.query<{ n: number }>(
        `select count(*)::int as n from events where type = 'incident.opened'`,
      );
      expect(opened.rows[0]!.n).toBe(BURST);
    } finally {
      await store.close();
    }
  }, 240_000);
});
