import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditBy } from '../../../server/audit/actor';
import type { ReaderScope } from '../../../server/auditReview/auditScope';
import {
  countEntries,
  countSources,
  rebuildAuditDailyCounts,
  type ResolvedFilters,
} from '../../../server/auditReview/auditReviewRepository';
import { recordChange } from '../../../server/events/recordChange';
import { loadMigrations, migrate } from '../../../server/store/migrate';
import type { Queryable } from '../../../server/store/store';
import type { AuditCounts } from '../../../shared/api/auditReview';
import type { ViewReasonCode } from '../../../shared/domain/reasons';
import { ManualClock } from '../../../shared/time/clock';
import { openTestStore, STORE_KINDS, type TestStore } from '../../support/stores';

/**
 * The audit review's counts read whole UTC days from the daily rollup (migration 0029) and the
 * rest from the trail (docs/audit-review.md#counts). Whatever the range, the filters and the
 * reader's scope, they must be exactly the counts of the trail's entries one by one, which this
 * test works out from the rows it wrote.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The first day of the trail written here, at midnight UTC. */
const DAY0 = Date.parse('2026-11-10T00:00:00Z');
const DAYS = 9;

interface Row {
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'success' | 'denied' | 'failure';
  details: Record<string, unknown>;
}

/** A repeatable sequence in [0, 1), so a failure is found again on the next run. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    state = (state ^ (state >>> 13)) >>> 0;
    return state / 2 ** 32;
  };
}

const ACTORS: readonly [string | null, readonly (string | null)[]][] = [
  ['u1', ['alice', 'alice b']], // renamed part-way: the counts name the user by the greatest
  ['u2', ['bob']],
  ['u3', ['carol']],
  ['u4', [null, 'dave']],
  ['u5', ['erin']],
  ['integration:cad', ['integration:CAD feed']],
  [null, ['system']],
];
const ACTIONS = ['stream.grant', 'auth.login', 'case.note', 'camera.owner_contact.reveal'];
const CODES: readonly ViewReasonCode[] = [
  'investigation_follow_up',
  'event_situational_awareness',
  'camera_pull',
];
const OUTCOMES = ['success', 'success', 'success', 'denied', 'failure'] as const;

function randomRows(rand: () => number, count: number): Row[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rows: Row[] = [];
  for (let i = 0; i < count; i += 1) {
    const day = Math.floor(rand() * DAYS);
    // A third of the rows within a few seconds of a midnight, some exactly on it.
    const r = rand();
    const at =
      r < 0.05
        ? DAY0 + day * DAY
        : r < 0.33
          ? DAY0 + day * DAY + Math.floor((rand() - 0.5) * 6000)
          : DAY0 + day * DAY + Math.floor(rand() * DAY);
    const [actorId, names] = pick(ACTORS);
    const kind = rand();
    const reason =
      kind < 0.5
        ? { reason: { code: pick(CODES), note: rand() < 0.5 ? 'follow-up on the theft' : 'watch' } }
        : kind < 0.6
          ? { reason: { note: 'no category' } }
          : kind < 0.65
            ? { reason: null }
            : {};
    rows.push({
      at: Math.max(at, DAY0),
      actorId,
      actorName: pick(names),
      action: pick(ACTIONS),
      targetType: rand() < 0.6 ? 'camera' : null,
      targetId: null,
      outcome: pick(OUTCOMES),
      details: reason,
    });
    const last = rows.at(-1)!;
    if (last.targetType === 'camera') last.targetId = pick(['cam-a', 'cam-b', 'cam-c']);
  }
  return rows;
}

/** Writes the rows in one statement, as a bulk insert would (placeholder hashes). */
async function insertRows(db: Queryable, rows: readonly Row[]): Promise<void> {
  await db.query(
    `insert into audit_log (at, actor_id, actor_name, action, target_type, target_id, outcome,
       details, prev_hash, hash)
     select t.at, t.actor_id, t.actor_name, t.action, t.target_type, t.target_id, t.outcome,
            t.details::jsonb, 'x', 'x'
     from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                 $7::text[], $8::text[])
       as t(at, actor_id, actor_name, action, target_type, target_id, outcome, details)`,
    [
      rows.map((r) => new Date(r.at).toISOString()),
      rows.map((r) => r.actorId),
      rows.map((r) => r.actorName),
      rows.map((r) => r.action),
      rows.map((r) => r.targetType),
      rows.map((r) => r.targetId),
      rows.map((r) => r.outcome),
      rows.map((r) => JSON.stringify(r.details)),
    ],
  );
}

const codeOf = (r: Row): string | null => {
  const reason = r.details.reason;
  if (reason === null || typeof reason !== 'object') return null;
  const code = (reason as Record<string, unknown>).code;
  return typeof code === 'string' ? code : null;
};

const noteOf = (r: Row): string | null => {
  const reason = r.details.reason;
  if (reason === null || typeof reason !== 'object') return null;
  const note = (reason as Record<string, unknown>).note;
  return typeof note === 'string' ? note : null;
};

/** The counts of the trail's entries one by one, in the order the counts give them. */
function expectedCounts(
  rows: readonly Row[],
  f: ResolvedFilters,
  scope: ReaderScope,
): Omit<AuditCounts, 'scope'> {
  const kept = rows.filter(
    (r) =>
      r.at >= f.from &&
      r.at < f.to &&
      (!f.actorId || r.actorId === f.actorId) &&
      (!f.action || r.action === f.action) &&
      (!f.outcome || r.outcome === f.outcome) &&
      (!f.reasonCode || codeOf(r) === f.reasonCode) &&
      (!f.cameraId || (r.targetType === 'camera' && r.targetId === f.cameraId)) &&
      (!f.reasonText || (noteOf(r) ?? '').toLowerCase().includes(f.reasonText.toLowerCase())) &&
      (scope.scope === 'all' ||
        (r.actorId !== null &&
          !r.actorId.startsWith('integration:') &&
          scope.windows.some(([s, e]) => r.at >= s && r.at < e))),
  );
  const users = new Map<string | null, { name: string | null; count: number }>();
  const reasons = new Map<string | null, number>();
  for (const r of kept) {
    const u = users.get(r.actorId) ?? { name: null, count: 0 };
    const name =
      u.name === null
        ? r.actorName
        : r.actorName !== null && r.actorName > u.name
          ? r.actorName
          : u.name;
    users.set(r.actorId, { name, count: u.count + 1 });
    reasons.set(codeOf(r), (reasons.get(codeOf(r)) ?? 0) + 1);
  }
  return {
    total: kept.length,
    byUser: [...users.entries()]
      .map(([actorId, u]) => ({ actorId, actorName: u.name, count: u.count }))
      .sort(byCountThenId),
    byReason: sortedReasons([...reasons.entries()].map(([code, count]) => ({ code, count }))),
  };
}

/** Most first; among equals by id, no id last (as the database orders them). */
function byCountThenId(
  a: { actorId: string | null; count: number },
  b: { actorId: string | null; count: number },
): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.actorId === b.actorId) return 0;
  if (a.actorId === null) return 1;
  if (b.actorId === null) return -1;
  return a.actorId < b.actorId ? -1 : 1;
}

/** Reasons with equal counts come in no set order: compared sorted. */
function sortedReasons(rs: readonly { code: string | null; count: number }[]) {
  return [...rs].sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
}

describe('where the counts of a range come from', () => {
  const all: ReaderScope = { scope: 'all', windows: [] };
  const at = (iso: string) => Date.parse(iso);

  it('takes the whole UTC days from the rollup and the part days from the trail', () => {
    const f = { from: at('2026-11-10T15:00:00Z'), to: at('2026-11-13T04:00:00Z') };
    expect(countSources(f, all)).toEqual({
      days: [[at('2026-11-11T00:00:00Z'), at('2026-11-13T00:00:00Z')]],
      parts: [
        [f.from, at('2026-11-11T00:00:00Z')],
        [at('2026-11-13T00:00:00Z'), f.to],
      ],
    });
  });

  it('reads a range within one day, or across one midnight, from the trail alone', () => {
    const inDay = { from: at('2026-11-10T01:00:00Z'), to: at('2026-11-10T23:00:00Z') };
    expect(countSources(inDay, all)).toEqual({ days: [], parts: [[inDay.from, inDay.to]] });
    const night = { from: at('2026-11-10T22:00:00Z'), to: at('2026-11-11T03:00:00Z') };
    expect(countSources(night, all)).toEqual({ days: [], parts: [[night.from, night.to]] });
  });

  it('reads a range of whole days from the rollup alone', () => {
    const f = { from: at('2026-11-10T00:00:00Z'), to: at('2026-11-12T00:00:00Z') };
    expect(countSources(f, all)).toEqual({ days: [[f.from, f.to]], parts: [] });
  });

  it('splits a supervisor’s shifts the same way, joining shifts that touch', () => {
    const scope: ReaderScope = {
      scope: 'own_shifts',
      windows: [
        [at('2026-11-10T11:00:00Z'), at('2026-11-10T23:00:00Z')],
        [at('2026-11-11T00:00:00Z'), at('2026-11-11T08:00:00Z')],
        [at('2026-11-11T08:00:00Z'), at('2026-11-11T16:00:00Z')],
        [at('2026-11-11T16:00:00Z'), at('2026-11-12T00:00:00Z')],
        [at('2026-11-12T00:00:00Z'), at('2026-11-12T06:00:00Z')],
      ],
    };
    const f = { from: at('2026-11-10T12:00:00Z'), to: at('2026-11-13T00:00:00Z') };
    expect(countSources(f, scope)).toEqual({
      days: [[at('2026-11-11T00:00:00Z'), at('2026-11-12T00:00:00Z')]],
      parts: [
        [f.from, at('2026-11-10T23:00:00Z')],
        [at('2026-11-12T00:00:00Z'), at('2026-11-12T06:00:00Z')],
      ],
    });
  });

  it('reads the trail for filters that need the entry itself', () => {
    const f = { from: at('2026-11-10T00:00:00Z'), to: at('2026-11-20T00:00:00Z') };
    expect(countSources({ ...f, cameraId: 'cam-a' }, all)).toBeNull();
    expect(countSources({ ...f, caseNumber: '2026-000001' }, all)).toBeNull();
    expect(countSources({ ...f, reasonText: 'theft' }, all)).toBeNull();
  });
});

describe.each(STORE_KINDS)('the audit counts’ daily rollup on %s', (kind) => {
  let t: TestStore;
  const rows: Row[] = [];
  const rand = sequence(29);

  async function rollup(db: Queryable) {
    const res = await db.query<Record<string, unknown>>(
      `select to_char(day, 'YYYY-MM-DD') as day, actor_id, actor_name, action, reason_code,
              outcome, entries::int as entries
       from audit_daily_counts order by 1, 2, 3, 4, 5, 6`,
    );
    return res.rows;
  }

  beforeAll(async () => {
    t = await openTestStore(kind, { migrated: false });
    // A trail written before the rollup existed: the migration fills the rollup from it.
    await migrate(
      t.store,
      loadMigrations().filter((m) => m.version < 29),
    );
    const before = randomRows(rand, 500);
    await insertRows(t.store, before);
    rows.push(...before);
    await migrate(t.store);
    // Then the trigger keeps it: a bulk insert, and changes recorded as the server records them.
    const after = randomRows(rand, 700);
    await insertRows(t.store, after);
    rows.push(...after);
    const clock = new ManualClock();
    for (const r of randomRows(rand, 40)) {
      clock.set(r.at);
      await recordChange(t.store, clock, {
        audit: auditBy(
          { id: r.actorId, name: r.actorName ?? 'system' },
          {
            action: r.action,
            targetType: r.targetType,
            targetId: r.targetId,
            outcome: r.outcome,
            details: r.details,
          },
        ),
        event: null,
      });
      rows.push({ ...r, actorName: r.actorName ?? 'system' });
    }
  }, 120_000);

  afterAll(async () => {
    await t.dispose();
  });

  it('holds exactly what the trail sums to, per day and key', async () => {
    const kept = await rollup(t.store);
    expect(kept.length).toBeGreaterThan(DAYS);
    const rebuilt = await t.store
      .transaction(async (tx) => {
        await rebuildAuditDailyCounts(tx);
        const r = await rollup(tx);
        // Only looked at: the rollup the trigger and the migration kept stays as it was.
        throw Object.assign(new Error('rolled back'), { rows: r });
      })
      .catch((e: { rows: unknown }) => e.rows);
    expect(kept).toEqual(rebuilt);
    const total = await t.store.query<{ n: string }>(
      'select sum(entries)::text as n from audit_daily_counts',
    );
    expect(Number(total.rows[0]!.n)).toBe(rows.length);
  });

  it('counts nothing for an entry whose transaction rolled back', async () => {
    const before = await rollup(t.store);
    await expect(
      t.store.transaction(async (tx) => {
        await insertRows(tx, randomRows(rand, 3));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rollup(t.store)).toEqual(before);
  });

  async function check(f: ResolvedFilters, scope: ReaderScope) {
    const got = await countEntries(t.store, f, scope);
    const want = expectedCounts(rows, f, scope);
    expect({ ...got, byReason: sortedReasons(got.byReason) }, JSON.stringify({ f, scope })).toEqual(
      want,
    );
  }

  const all: ReaderScope = { scope: 'all', windows: [] };
  const midnight = (d: number) => DAY0 + d * DAY;

  it('gives the trail’s counts for ranges within a day, across midnight and of whole days', async () => {
    await check({ from: midnight(2) + 3 * HOUR, to: midnight(2) + 9 * HOUR }, all);
    await check({ from: midnight(3) - 2 * HOUR, to: midnight(3) + 2 * HOUR }, all);
    await check({ from: midnight(3) - 1, to: midnight(3) + 1 }, all);
    await check({ from: midnight(1), to: midnight(4) }, all);
    await check({ from: midnight(1), to: midnight(1) + 1 }, all);
    await check({ from: midnight(0) - 5 * DAY, to: midnight(DAYS) + 5 * DAY }, all);
    await check({ from: midnight(1) + 1, to: midnight(7) - 1 }, all);
    await check({ from: midnight(1) + 1, to: midnight(7) - 1, reasonCode: CODES[0] }, all);
    await check({ from: midnight(1) + 1, to: midnight(7) - 1, actorId: 'u1' }, all);
  });

  it('gives the trail’s counts over random ranges and filters', async () => {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 120; i += 1) {
      // Ends on a midnight, near one, or anywhere.
      const end = () => {
        const d = midnight(Math.floor(rand() * (DAYS + 1)));
        const r = rand();
        return r < 0.3 ? d : r < 0.6 ? d + Math.floor((rand() - 0.5) * 8000) : d + rand() * DAY;
      };
      let a = Math.floor(end());
      let b = Math.floor(end());
      if (a === b) b += HOUR;
      if (a > b) [a, b] = [b, a];
      const f: ResolvedFilters = { from: a, to: b };
      const g = f as { -readonly [K in keyof ResolvedFilters]: ResolvedFilters[K] };
      if (rand() < 0.3) g.actorId = pick(ACTORS)[0] ?? 'u2';
      if (rand() < 0.3) g.reasonCode = pick(CODES);
      if (rand() < 0.3) g.action = pick(ACTIONS);
      if (rand() < 0.3) g.outcome = pick(OUTCOMES);
      if (rand() < 0.1) g.cameraId = pick(['cam-a', 'cam-b']);
      if (rand() < 0.1) g.reasonText = 'THEFT';
      await check(f, all);
    }
  });

  it('gives the trail’s counts within a supervisor’s shifts', async () => {
    const none: ReaderScope = { scope: 'own_shifts', windows: [] };
    await check({ from: midnight(0), to: midnight(DAYS) }, none);
    // Day shifts of twelve hours, and two days on every shift (windows that touch).
    const dayShifts: ReaderScope = {
      scope: 'own_shifts',
      windows: [1, 2, 3, 5].map((d) => [midnight(d) + 11 * HOUR, midnight(d) + 23 * HOUR] as const),
    };
    const roundTheClock: ReaderScope = {
      scope: 'own_shifts',
      windows: [
        [midnight(2) + 11 * HOUR, midnight(2) + 19 * HOUR],
        [midnight(2) + 19 * HOUR, midnight(3) + 3 * HOUR],
        [midnight(3) + 3 * HOUR, midnight(3) + 11 * HOUR],
        [midnight(3) + 11 * HOUR, midnight(3) + 19 * HOUR],
        [midnight(3) + 19 * HOUR, midnight(4) + 3 * HOUR],
        [midnight(4) + 3 * HOUR, midnight(4) + 11 * HOUR],
        [midnight(4) + 11 * HOUR, midnight(4) + 19 * HOUR],
        [midnight(4) + 19 * HOUR, midnight(5) + 3 * HOUR],
        [midnight(6) + 3 * HOUR, midnight(6) + 11 * HOUR],
      ],
    };
    expect(countSources({ from: midnight(0), to: midnight(DAYS) }, roundTheClock)!.days).toEqual([
      [midnight(3), midnight(5)],
    ]);
    // More shifts than are written out as ranges: joined to the trail as a list.
    const everyTenHours: ReaderScope = {
      scope: 'own_shifts',
      windows: Array.from({ length: 21 }, (_, i) => {
        const s = midnight(0) + i * 10 * HOUR + 5 * HOUR;
        return [s, s + 3 * HOUR] as const;
      }),
    };
    expect(
      countSources({ from: midnight(0), to: midnight(DAYS) }, everyTenHours)!.parts,
    ).toHaveLength(21);
    // Whole days apart from each other, more than are written out as ranges, on either source.
    const everyOtherDay: ReaderScope = {
      scope: 'own_shifts',
      windows: Array.from({ length: 20 }, (_, i) => {
        const d = midnight(2 * i - 20);
        return [d - 2 * HOUR, d + DAY + 2 * HOUR] as const;
      }),
    };
    expect(
      countSources({ from: midnight(-30), to: midnight(25) }, everyOtherDay)!.days,
    ).toHaveLength(20);
    await check({ from: midnight(-30), to: midnight(25) }, everyOtherDay);
    await check({ from: midnight(-30), to: midnight(25), actorId: 'u2' }, everyOtherDay);
    for (const scope of [dayShifts, roundTheClock, everyTenHours]) {
      await check({ from: midnight(0), to: midnight(DAYS) }, scope);
      await check({ from: midnight(3) + 5 * HOUR, to: midnight(4) + 13 * HOUR }, scope);
      await check({ from: midnight(2), to: midnight(6), actorId: 'u3' }, scope);
      await check({ from: midnight(2), to: midnight(6), outcome: 'denied' }, scope);
      await check({ from: midnight(1), to: midnight(8), reasonCode: CODES[1] }, scope);
    }
  });
});
