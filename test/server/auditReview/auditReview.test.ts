import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditBy, SYSTEM_ACTOR, type Actor } from '../../../server/audit/actor';
import { verifyAuditChain } from '../../../server/audit/trailVerifier';
import { readAnchorFile } from '../../../server/audit/anchor';
import { exportProblem } from '../../../server/auditReview/auditExport';
import { readFlagActivity } from '../../../server/auditReview/auditReviewRepository';
import { CHAIN_CHECK_ACTION, verifyChainNow } from '../../../server/auditReview/chainHealth';
import { setAgency, UNCONFIGURED_AGENCY } from '../../../server/agency/agencyRepository';
import { activityFromRows, flagKey, type FlagSourceRow } from '../../../shared/domain/auditFlags';
import type {
  AuditCounts,
  AuditExport,
  AuditPage,
  ChainHealth,
  FlagList,
} from '../../../shared/api/auditReview';
import { STORE_KINDS } from '../../support/stores';
import { listEventsAfter } from '../../../server/events/eventHub';
import { eventAdmits, eventPriority, typedEvent } from '../../../shared/api/eventCatalog';
import { ROLE_PERMISSIONS, ROLES } from '../../../shared/domain/roles';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { createCamera, integratedCamera, registeredCamera } from '../cameras/cameraFixtures';

/**
 * The audit review on each store: search and its filters, counts, a supervisor's scope, the
 * flags computed on the database as in code, a flag's review, the signed export and the
 * chain's health (docs/audit-review.md).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = 'America/New_York';

describe.each(STORE_KINDS)('audit review on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let auditor: TestUser;
  let analyst: TestUser;
  let other: TestUser;
  let privateCam: { id: string; name: string };
  let registered: { id: string; name: string };
  let verifyDir: string;
  /** Now, at the start of the test: 2026-11-20 10:00 in New York (15:00 UTC), the Day shift. */
  const now = Date.parse('2026-11-20T15:00:00Z');

  const as = (u: TestUser): Actor => ({ id: u.id, name: u.username });

  /** A camera view (the grant's audit row) at a time, as grants record it. */
  async function view(
    who: TestUser,
    at: number,
    camera: string,
    reason: Record<string, string> = { code: 'event_situational_awareness' },
  ) {
    t.clock.set(at);
    await t.app.ctx.record({
      audit: auditBy(as(who), {
        action: 'stream.grant',
        targetType: 'camera',
        targetId: camera,
        outcome: 'success',
        details: { reason, access: 'live', variant: 'main' },
      }),
      event: null,
    });
  }

  beforeAll(async () => {
    verifyDir = mkdtempSync(join(tmpdir(), 'wf-audit-verify-'));
    t = await startTestApp(kind, { config: { auditVerifyDir: verifyDir } });
    await setAgency(
      t.store.store,
      { ...UNCONFIGURED_AGENCY, timeZone: TZ },
      new Date(t.clock.now()),
    );
    t.clock.set(now - 40 * DAY);
    admin = await t.user('admin');
    privateCam = await createCamera(t, admin, integratedCamera({}, { name: 'Corner store porch' }));
    registered = await createCamera(t, admin, registeredCamera({ name: 'Elm St doorbell' }));
    t.clock.set(now);
    auditor = await t.user('auditor');
    analyst = await t.user('analyst');
    other = await t.user('analyst');
    // The analyst views the private camera without a case on three days, and once with one.
    for (const d of [9, 4, 0]) await view(analyst, now - d * DAY - HOUR, privateCam.id);
    await view(analyst, now - 2 * HOUR, privateCam.id, {
      code: 'investigation_follow_up',
      reference: '2026-000123',
      note: 'Burglary on Elm St',
    });
    // The other analyst, once, a week before.
    await view(other, now - 8 * DAY, registered.id, {
      code: 'camera_pull',
      reference: '2026-000777',
    });
    t.clock.set(now);
  }, 120_000);

  afterAll(async () => {
    await t.close();
    rmSync(verifyDir, { recursive: true, force: true });
  });

  const entries = async (who: TestUser, query: string) => {
    const res = await t.as(who, 'GET', `/v1/audit/review/entries?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AuditPage;
  };
  const range = `from=${new Date(now - 30 * DAY).toISOString()}&to=${new Date(now + 1).toISOString()}`;

  it('finds entries by user, camera, case, reason, text, action and outcome, newest first, naming what they refer to', async () => {
    const views = await entries(auditor, `${range}&action=stream.grant&actorId=${analyst.id}`);
    expect(views.scope).toBe('all');
    expect(views.entries.map((e) => e.at)).toEqual(
      [now - 2 * HOUR, now - HOUR, now - 4 * DAY - HOUR, now - 9 * DAY - HOUR].map((ms) =>
        new Date(ms).toISOString(),
      ),
    );
    expect(views.entries[0]!.target).toEqual({
      kind: 'camera',
      type: 'camera',
      id: privateCam.id,
      label: 'Corner store porch',
    });
    expect(views.entries[0]!.reason).toEqual({
      code: 'investigation_follow_up',
      reference: '2026-000123',
      note: 'Burglary on Elm St',
    });

    const byCase = await entries(auditor, `${range}&caseNumber=2026-000123`);
    expect(byCase.entries.map((e) => e.actorId)).toEqual([analyst.id]);
    const byCamera = await entries(auditor, `${range}&cameraId=${registered.id}`);
    expect(byCamera.entries.map((e) => [e.actorId, e.reason?.reference])).toEqual([
      [other.id, '2026-000777'],
    ]);
    const byReason = await entries(auditor, `${range}&reasonCode=camera_pull`);
    expect(byReason.entries.map((e) => e.actorId)).toEqual([other.id]);
    const byText = await entries(auditor, `${range}&reasonText=${encodeURIComponent('elm ST')}`);
    expect(byText.entries.map((e) => e.reason?.note)).toEqual(['Burglary on Elm St']);
    const refused = await entries(auditor, `${range}&outcome=denied&action=stream.grant`);
    expect(refused.entries).toEqual([]);
    const lastWeek = await entries(
      auditor,
      `action=stream.grant&from=${new Date(now - 8 * DAY - 1).toISOString()}&to=${new Date(now - 8 * DAY + 1).toISOString()}`,
    );
    expect(lastWeek.entries.map((e) => e.actorId)).toEqual([other.id]);
  });

  it('pages with a keyset: each page continues below the last id, to the end', async () => {
    const first = await entries(auditor, `${range}&action=stream.grant&limit=2`);
    expect(first.entries).toHaveLength(2);
    const second = await entries(
      auditor,
      `${range}&action=stream.grant&limit=2&before=${first.next}`,
    );
    const third = await entries(
      auditor,
      `${range}&action=stream.grant&limit=2&before=${second.next}`,
    );
    const ids = [...first.entries, ...second.entries, ...third.entries].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(5);
    expect(third.next).toBeNull();
  });

  it('counts entries per user and per reason over the range', async () => {
    const res = await t.as(auditor, 'GET', `/v1/audit/review/counts?${range}&action=stream.grant`);
    expect(res.statusCode, res.body).toBe(200);
    const counts = res.json() as AuditCounts;
    expect(counts.total).toBe(5);
    expect(counts.byUser).toEqual([
      { actorId: analyst.id, actorName: analyst.username, count: 4 },
      { actorId: other.id, actorName: other.username, count: 1 },
    ]);
    expect(counts.byReason).toEqual([
      { code: 'event_situational_awareness', count: 3 },
      { code: 'camera_pull', count: 1 },
      { code: 'investigation_follow_up', count: 1 },
    ]);
  });

  it("shows a supervisor people's entries during the supervisor's own shifts only", async () => {
    // The supervisor signs in on this Day shift: the views of today are theirs to see, the
    // views of days they were not on are not, and neither are the system's own entries.
    const supervisor = await t.user('supervisor');
    const seen = await entries(supervisor, `${range}&action=stream.grant`);
    expect(seen.scope).toBe('own_shifts');
    expect(seen.entries.map((e) => e.at)).toEqual(
      [now - 2 * HOUR, now - HOUR].map((ms) => new Date(ms).toISOString()),
    );
    const counts = (
      await t.as(supervisor, 'GET', `/v1/audit/review/counts?${range}`)
    ).json() as AuditCounts;
    expect(counts.scope).toBe('own_shifts');
    expect(counts.byUser.every((u) => u.actorId !== null)).toBe(true);
    // The raw trail holds them to the same scope.
    const raw = await t.as(supervisor, 'GET', `/v1/audit?action=stream.grant`);
    expect(raw.statusCode).toBe(200);
    expect((raw.json() as { rows: unknown[] }).rows).toHaveLength(2);
  });

  it('computes the flags on the database exactly as in code', async () => {
    const rows = await t.store.store.query<FlagSourceRow & { id: number }>(
      `select id, at, actor_id as "actorId", actor_name as "actorName", action,
         target_type as "targetType", target_id as "targetId", outcome, details
       from audit_log order by id`,
    );
    const inCode = activityFromRows(
      rows.rows.map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at).toISOString() })),
      { timeZone: TZ, shifts: UNCONFIGURED_AGENCY.shifts },
      new Set([privateCam.id, registered.id]),
    );
    const onDb = await readFlagActivity(
      t.store.store,
      { timeZone: TZ, shifts: UNCONFIGURED_AGENCY.shifts },
      now - 60 * DAY,
      now + 1,
    );
    const sorted = <T>(list: readonly T[]) => [...list].map((x) => JSON.stringify(x)).sort();
    expect(sorted(onDb.days)).toEqual(sorted(inCode.days));
    expect(sorted(onDb.shifts)).toEqual(sorted(inCode.shifts));
    expect(sorted(onDb.privateCameraDays)).toEqual(sorted(inCode.privateCameraDays));
    expect(onDb.privateCameraDays.length).toBeGreaterThan(0);
  });

  it('lists a flag, and a reviewer marks it reviewed with a note, audited', async () => {
    const list = async () => {
      const res = await t.as(auditor, 'GET', `/v1/audit/review/flags?${range}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as FlagList;
    };
    const flags = (await list()).flags;
    const key = flagKey('private_camera_days', analyst.id, '2026-11-20', privateCam.id);
    expect(flags.map((f) => f.key)).toEqual([key]);
    expect(flags[0]!.explanation).toContain('"Corner store porch"');
    expect(flags[0]!.review).toBeNull();

    const res = await t.as(auditor, 'POST', '/v1/audit/review/flags/review', {
      key,
      note: 'Owner asked for checks while away; documented in 2026-000123.',
    });
    expect(res.statusCode, res.body).toBe(201);
    const reviewed = (await list()).flags[0]!;
    expect(reviewed.review).toMatchObject({
      reviewerName: auditor.username,
      kind: 'private_camera_days',
    });
    const audit = await t.store.store.query<{ actor_id: string; details: { flag: string } }>(
      "select actor_id, details from audit_log where action = 'audit.flag.review'",
    );
    expect(audit.rows.map((r) => [r.actor_id, r.details.flag])).toEqual([[auditor.id, key]]);

    const unknown = await t.as(auditor, 'POST', '/v1/audit/review/flags/review', {
      key: flagKey('volume', analyst.id, '2026-11-20'),
      note: 'Nothing there',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/^No flag "volume\|/);
  });

  it('exports the range as CSV with a signature that verifies, and that fails on a changed byte', async () => {
    const res = await t.as(auditor, 'GET', `/v1/audit/review/export?${range}&action=stream.grant`);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json() as AuditExport;
    const lines = out.csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,at,actor_id,actor_name,action,outcome,/);
    expect(lines).toHaveLength(6);
    expect(out.signature.rows).toBe(5);
    expect(exportProblem(out.csv, out.signature)).toBeNull();
    expect(
      exportProblem(out.csv.replace('Corner store porch', 'Corner store porcH'), out.signature),
    ).toBe('the CSV is not the one signed (its SHA-256 differs)');
    expect(exportProblem(out.csv, { ...out.signature, rows: 4 })).toBe(
      'the signature does not verify: the signature file was altered',
    );
    // The chain position is a row the trail holds with that hash, at or after every row exported.
    const head = await t.store.store.query<{ hash: string }>(
      'select hash from audit_log where id = $1',
      [out.signature.chain.lastId],
    );
    expect(head.rows[0]!.hash).toBe(out.signature.chain.hash);
    const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(Math.max(...ids)).toBeLessThanOrEqual(out.signature.chain.lastId!);
  });

  it('verifies the chain, writes the result to the trail and to an anchor file, and shows it', async () => {
    const check = await verifyChainNow(t.app.ctx, 'schedule');
    expect(check.ok).toBe(true);
    const files = readdirSync(verifyDir);
    expect(files).toEqual([`${check.at.slice(0, 10)}.json`]);
    const anchor = readAnchorFile(join(verifyDir, files[0]!));
    expect([anchor.id, anchor.hash]).toEqual([check.lastId, check.hash]);
    // The anchor is one `wf audit verify --anchor` accepts.
    expect((await verifyAuditChain(t.store.store, { anchors: [anchor] })).ok).toBe(true);
    const res = await t.as(auditor, 'GET', '/v1/audit/review/health');
    const health = res.json() as ChainHealth;
    expect(health.last).toMatchObject({ ok: true, lastId: check.lastId, trigger: 'schedule' });
    expect(health.lastFailure).toBeNull();
    const rows = await t.store.store.query<{ actor_name: string }>(
      'select actor_name from audit_log where action = $1',
      [CHAIN_CHECK_ACTION],
    );
    expect(rows.rows.map((r) => r.actor_name)).toEqual([SYSTEM_ACTOR.name]);
    expect(JSON.parse(readFileSync(join(verifyDir, files[0]!), 'utf8')).format).toBe(
      'watchfloor.audit.anchor/1',
    );
  });
  // Last: it breaks the chain.
  it('reports a broken chain: a failed result in the trail and the file, urgent to admins and auditors, and no export', async () => {
    await t.store.store.query('alter table audit_log disable trigger user');
    try {
      await t.store.store.query(
        "update audit_log set actor_name = 'someone else' where action = 'stream.grant' and actor_id = $1",
        [other.id],
      );
    } finally {
      await t.store.store.query('alter table audit_log enable trigger user');
    }
    const check = await verifyChainNow(t.app.ctx, 'demand');
    expect(check.ok).toBe(false);
    expect(check.problem).toMatch(/^audit row \d+ was altered after it was written/);
    expect(readdirSync(verifyDir)).toContain(`${check.at.slice(0, 10)}.failed.json`);
    const health = (await t.as(auditor, 'GET', '/v1/audit/review/health')).json() as ChainHealth;
    expect(health.lastFailure).toMatchObject({ ok: false, problem: check.problem });

    const events = await listEventsAfter(t.store.store, 0, 10_000);
    const failed = events.filter((e) => e.type === 'audit.chain.checked').at(-1)!;
    const typed = typedEvent(failed)!;
    expect(eventPriority(typed)).toBe('urgent');
    const admitted = ROLES.filter((role) =>
      eventAdmits(failed, { userId: 'u', permissions: ROLE_PERMISSIONS[role] }),
    );
    expect(admitted).toEqual(['admin', 'auditor']);

    const exported = await t.as(auditor, 'GET', `/v1/audit/review/export?${range}`);
    expect(exported.statusCode).toBe(409);
    expect(exported.json().message).toMatch(
      /^The audit chain does not verify \(audit row \d+ was altered .*\): no export is signed over it\.$/,
    );
  });
});
