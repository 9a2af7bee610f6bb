import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgency, UNCONFIGURED_AGENCY } from '../../../server/agency/agencyRepository';
import { eventPriority, typedEvent } from '../../../shared/api/eventCatalog';
import { AlertPolicySchema } from '../../../shared/domain/agency';
import { startTestApp, type TestApp } from '../../support/testApp';
import { integrationKey, post } from '../incidents/incidentFixtures';

/**
 * Three years of real gunshot detections from St. Louis (test/fixtures/README.md) go through
 * the batch gunshot ingest the way a connector replaying them would send them: each row as the
 * file has it (type text as written, coordinates as written), its date at local midnight since
 * the file has no time of day. Every bad row is refused with a reason naming its field; every
 * other row is kept once; none is announced (they are years old when received).
 */

const CSV = readFileSync(join(__dirname, '../../fixtures/stlouis-gunshots.csv'), 'utf8');
const BATCH = 1000;

interface Row {
  readonly line: number;
  readonly type: string;
  readonly date: string;
  readonly lat: number;
  readonly lon: number;
}

const rows: Row[] = CSV.trim()
  .split(/\r?\n/)
  .slice(1)
  .map((text, i) => {
    const [type, date, lat, lon] = text.split(',');
    return { line: i + 2, type: type!, date: date!, lat: Number(lat), lon: Number(lon) };
  });

/** "10/5/2015" as the start of that day in St. Louis (standard time: the file gives no hour). */
function localMidnight(date: string): string {
  const [m, d, y] = date.split('/');
  return `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}T00:00:00-06:00`;
}

const detection = (r: Row) => ({
  id: `stl-${r.line}`,
  time: localMidnight(r.date),
  position: { lat: r.lat, lon: r.lon },
  type: r.type,
});

describe('the St. Louis gunshot data through the gunshot ingest', () => {
  let t: TestApp;
  const refused = new Map<number, { path: string; message: string }>();
  let kept = 0;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    // The day after the newest row, so that the file is a three-year backfill.
    t.clock.set(Date.parse('2015-10-06T17:00:00Z'));
    await setAgency(
      t.store.store,
      {
        ...UNCONFIGURED_AGENCY,
        name: 'St. Louis (test)',
        timeZone: 'America/Chicago',
        jurisdiction: {
          type: 'Polygon',
          coordinates: [
            [
              [-90.32, 38.53],
              [-90.18, 38.53],
              [-90.17, 38.77],
              [-90.32, 38.77],
              [-90.32, 38.53],
            ],
          ],
        },
        alerts: AlertPolicySchema.parse({ maxAgeDays: 1100 }),
      },
      new Date(t.clock.now()),
    );
    const { key } = await integrationKey(t, 'gunshot', 'stl-replay');
    for (let start = 0; start < rows.length; start += BATCH) {
      let pending = rows.slice(start, start + BATCH);
      // A batch is all or nothing: the refused rows are set aside, the rest sent again.
      for (let attempt = 0; pending.length > 0; attempt++) {
        expect(attempt).toBeLessThan(3);
        const res = await post(t, 'POST', '/v1/ingest/gunshots/batch', key, {
          detections: pending.map(detection),
        });
        if (res.statusCode === 200) {
          kept += (res.json().alerts as { created: boolean }[]).filter((a) => a.created).length;
          break;
        }
        expect(res.statusCode, res.body).toBe(400);
        const out = new Set<number>();
        for (const issue of res.json().issues as { path: string; message: string }[]) {
          const at = /detections\.(\d+)\./.exec(issue.path);
          expect(at, issue.path).not.toBeNull();
          const row = pending[Number(at![1])]!;
          out.add(row.line);
          if (!refused.has(row.line)) refused.set(row.line, issue);
        }
        pending = pending.filter((r) => !out.has(r.line));
      }
    }
  }, 600_000);
  afterAll(async () => {
    await t.close();
  });

  const refusedWhere = (test: (r: Row) => boolean) =>
    rows.filter(test).map((r) => [r.line, refused.get(r.line)] as const);

  it('refuses each bad row with a reason naming its field', () => {
    const signLost = refusedWhere((r) => r.lon > 0 && r.lon <= 180);
    expect(signLost).toHaveLength(27);
    for (const [, issue] of signLost) {
      expect(issue).toMatchObject({ path: expect.stringMatching(/\.position$/) });
      expect(issue!.message).toMatch(/from the jurisdiction.*minus sign missing/);
    }
    const noDecimalPoint = refusedWhere((r) => Math.abs(r.lat) > 90 || Math.abs(r.lon) > 180);
    expect(noDecimalPoint).toHaveLength(3);
    for (const [, issue] of noDecimalPoint) {
      expect(issue!.path).toMatch(/\.position\.(lat|lon)$/);
    }
    const old = refusedWhere((r) => r.date.endsWith('/2001'));
    expect(old).toEqual([
      [
        expect.any(Number),
        {
          path: expect.stringMatching(/\.time$/),
          message: expect.stringMatching(/days old; this agency takes records up to 1100 days old/),
        },
      ],
    ]);
    const indoor = refusedWhere((r) => r.type === 'Indoor_Gunshot');
    expect(indoor).toEqual([
      [
        expect.any(Number),
        {
          path: expect.stringMatching(/\.type$/),
          message: expect.stringContaining('one of single, multiple, possible_firecracker'),
        },
      ],
    ]);
    expect(refused.size).toBe(27 + 3 + 1 + 1);
  });

  it('keeps every other row once, mixed-case types read, none announced', async () => {
    expect(kept).toBe(rows.length - refused.size);
    const db = t.store.store;
    const count = await db.query<{ n: number }>('select count(*)::int as n from alerts');
    expect(count.rows[0]!.n).toBe(rows.length - refused.size);
    const byType = await db.query<{ type: string; n: number }>(
      `select details->>'type' as type, count(*)::int as n from alerts group by 1 order by 1`,
    );
    const keptOf = (pattern: RegExp) =>
      rows.filter((r) => pattern.test(r.type) && !refused.has(r.line)).length;
    expect(byType.rows).toEqual([
      { type: 'multiple', n: keptOf(/^multiple_gunshots$/i) },
      { type: 'possible_firecracker', n: keptOf(/^gunshot_or_firework$/i) },
      { type: 'single', n: keptOf(/^single_gunshot$/i) },
    ]);
    const mixedCase = rows.filter((r) => /^(multiple_Gunshots|single_Gunshot)$/.test(r.type));
    expect(mixedCase.length).toBe(7);
    const read = await db.query<{ sender_id: string; type: string }>(
      `select sender_id, details->>'type' as type from alerts where sender_id = any($1::text[])`,
      [mixedCase.map((r) => `stl-${r.line}`)],
    );
    expect(read.rows).toHaveLength(mixedCase.filter((r) => !refused.has(r.line)).length);
    for (const r of read.rows) expect(['multiple', 'single']).toContain(r.type);
    // Kept outside the city (a detection 35 km west), marked, quiet.
    const west = rows.find((r) => r.lon === -90.7)!;
    const outside = await db.query<{ outside_jurisdiction: boolean; late: boolean }>(
      'select outside_jurisdiction, late from alerts where sender_id = $1',
      [`stl-${west.line}`],
    );
    expect(outside.rows).toEqual([{ outside_jurisdiction: true, late: true }]);
    const events = await db.query<{ id: number; type: string; payload: unknown }>(
      `select id, type, payload from events where type like 'alert.%'`,
    );
    expect(events.rows).toHaveLength(rows.length - refused.size);
    const loud = events.rows.filter((e) => {
      const typed = typedEvent({
        id: Number(e.id),
        at: '',
        type: e.type,
        payload: (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as Record<
          string,
          unknown
        >,
      });
      return eventPriority(typed!) !== 'routine';
    });
    expect(loud).toEqual([]);
  });
});
