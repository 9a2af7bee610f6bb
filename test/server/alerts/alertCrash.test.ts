import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgency } from '../../../server/agency/agencyRepository';
import { TEST_CITY } from '../../support/testCity';
import { AlertPolicySchema } from '../../../shared/domain/agency';
import { STORE_KINDS } from '../../support/stores';
import {
  burstThenKill,
  crashSite,
  seedIntegration,
  type CrashSite,
} from '../../support/crashServer';

/**
 * The real server, killed with SIGKILL in the middle of a burst of gunshot detections: every
 * detection it acknowledged is there after a restart, and the sender's retries of everything
 * (acknowledged or not) make each detection exactly one alert with exactly one announcement.
 */

const BURST = 240;
const IN_FLIGHT = 16;
const KILL_AFTER = 60;

describe.each(STORE_KINDS)('alert ingest across a crash on %s', (kind) => {
  let site: CrashSite;
  let key = '';

  beforeAll(async () => {
    site = await crashSite(kind, 'alerts');
    // The integration and the agency, in the store before the server starts.
    await site.prepare(async (store) => {
      const at = new Date();
      key = await seedIntegration(store, 'burst-sensor', 'gunshot');
      await setAgency(
        store,
        {
          ...TEST_CITY,
          alerts: AlertPolicySchema.parse({}),
        },
        at,
      );
    });
  });
  afterAll(() => site.dispose());

  const post = (url: string, i: number) =>
    fetch(`${url}/v1/ingest/gunshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `burst-${i}`,
        time: new Date(Date.now() - 60_000).toISOString(),
        position: { lat: 36.1 + (i % 40) * 0.001, lon: -80.25 },
        type: i % 3 === 0 ? 'multiple' : 'single',
      }),
    }).then(
      (r) => r.status,
      () => 0,
    );

  it('keeps every acknowledged detection once, and a retry of all makes one alert each', async () => {
    const first = await site.start();
    const { acknowledged, statuses, killed } = await burstThenKill(
      first,
      (i) => post(first.url, i),
      { total: BURST, inFlight: IN_FLIGHT, killAfter: KILL_AFTER },
    );
    expect(killed).toBe(true);
    expect(statuses.filter((s) => s !== 200 && s !== 0)).toEqual([]);
    expect(acknowledged.size).toBeLessThan(BURST);

    // Nothing acknowledged was lost, before any retry.
    const afterCrash = await site.openStore();
    try {
      const rows = await afterCrash.query<{ sender_id: string }>('select sender_id from alerts');
      const kept = new Set(rows.rows.map((r) => r.sender_id));
      for (const i of acknowledged) expect(kept.has(`burst-${i}`), `burst-${i}`).toBe(true);
    } finally {
      await afterCrash.close();
    }

    // The sensor retries what was not acknowledged, and may retry what was.
    const second = await site.start();
    for (let i = 0; i < BURST; i++) expect(await post(second.url, i)).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;

    const store = await site.openStore();
    try {
      const rows = await store.query<{ sender_id: string; n: number }>(
        'select sender_id, count(*)::int as n from alerts group by sender_id',
      );
      const counts = new Map(rows.rows.map((r) => [r.sender_id, r.n]));
      for (let i = 0; i < BURST; i++) expect(counts.get(`burst-${i}`), `burst-${i}`).toBe(1);
      const raised = await store.query<{ n: number }>(
        `select count(*)::int as n from events where type = 'alert.raised'`,
      );
      expect(raised.rows[0]!.n).toBe(BURST);
    } finally {
      await store.close();
    }
  }, 240_000);
});
