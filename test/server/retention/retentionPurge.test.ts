import { createHash } from 'node:crypto';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../server/store/store';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { verifyAuditChain } from '../../../server/audit/trailVerifier';
import { createIntegration } from '../../../server/integrations/integrationChanges';
import { PURGE_TASK, purgerOf, RetentionPurger } from '../../../server/retention/retentionPurge';
import { DEFAULT_RETENTION } from '../../../shared/domain/retention';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { agencyCamera } from '../cameras/cameraFixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The purge against data of every kind at ages around its period (a day over, a day under), a
 * case under legal hold, and media files: referenced, orphaned by the purge, orphaned already,
 * and orphaned but too new to be taken for one (docs/retention.md).
 */
describe.each(STORE_KINDS)('the retention purge on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let lieutenant: TestUser;
  let db: Queryable;
  let now: number;
  const media = new Map<string, string>();
  const ago = (days: number, hours = 0) => new Date(now - days * DAY - hours * HOUR).toISOString();

  /** A file in the media store under the SHA-256 of its bytes, last written `ageMs` ago. */
  async function mediaFile(label: string, ageMs = 2 * HOUR): Promise<string> {
    const bytes = Buffer.from(`media ${label}`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const dir = join(t.app.ctx.config.mediaDir, sha.slice(0, 2));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, sha), bytes);
    const when = (now - ageMs) / 1000;
    await utimes(join(dir, sha), when, when);
    media.set(label, sha);
    return sha;
  }

  async function mediaLeft(): Promise<string[]> {
    const root = t.app.ctx.config.mediaDir;
    const names: string[] = [];
    for (const bucket of await readdir(root)) {
      if (!/^[0-9a-f]{2}$/.test(bucket)) continue;
      names.push(...(await readdir(join(root, bucket))));
    }
    return [...media]
      .filter(([, sha]) => names.includes(sha))
      .map(([label]) => label)
      .sort();
  }

  const ids = async (sql: string) =>
    (await db.query<{ id: string }>(sql)).rows.map((r) => r.id).sort();

  async function thread(
    id: string,
    lastDays: number,
    tip: { days: number; caseNumber?: string; media?: string },
  ) {
    await db.query(
      `insert into tip_threads (id, alias, number_key, number_sealed, first_at, last_at)
       values ($1, $1, $1, 'sealed', $2, $2)`,
      [id, ago(lastDays)],
    );
    await db.query(
      `insert into tips (id, message_sid, thread_id, received_at, body, answer, case_number)
       values ($1, $1, $2, $3, 'A grey sedan', '', $4)`,
      [`tip-${id}`, id, ago(tip.days), tip.caseNumber ?? null],
    );
    await db.query(
      `insert into tip_replies (id, thread_id, tip_id, at, body, state)
       values ($1, $2, $3, $4, 'Thank you', 'sent')`,
      [`reply-${id}`, id, `tip-${id}`, ago(tip.days)],
    );
    if (tip.media) {
      await db.query(
        `insert into tip_attachments (tip_id, n, source_url, content_type, state, next_attempt_at, sha256)
         values ($1, 0, 'https://media.example.test/1', 'image/jpeg', 'stored', $2, $3)`,
        [`tip-${id}`, ago(tip.days), await mediaFile(tip.media)],
      );
    }
  }

  async function alert(
    id: string,
    k: 'lpr' | 'gunshot',
    days: number,
    opts: { acknowledged?: boolean; media?: string } = {},
  ) {
    const integration = (
      await db.query<{ id: string }>(`select id from integrations where scope = $1`, [
        k === 'lpr' ? 'lpr' : 'gunshot',
      ])
    ).rows[0]!.id;
    await db.query(
      `insert into alerts (id, integration_id, sender_id, kind, occurred_at, received_at, updated_at,
         severity, title, details, outside_jurisdiction, late, urgent, acknowledged_at)
       values ($1, $2, $1, $3, $4, $4, $4, 'minor', 'Hit', '{}', false, false, false, $5)`,
      [id, integration, k, ago(days), opts.acknowledged ? ago(days) : null],
    );
    if (opts.media) {
      await db.query(
        `insert into alert_evidence (alert_id, n, kind, url, state, sha256)
         values ($1, 0, 'image', 'https://lpr.example.test/1.jpg', 'stored', $2)`,
        [id, await mediaFile(opts.media)],
      );
    }
  }

  async function caseRow(id: string, number: string, closedDays: number | null) {
    await db.query(
      `insert into cases (id, number, title, type, status, priority, opened_at, opened_by, updated_at, closed_at)
       values ($1, $2, 'Case', 'other', $3, 'normal', $4, 'lt', $4, $5)`,
      [
        id,
        number,
        closedDays === null ? 'open' : 'closed',
        ago(3000),
        closedDays === null ? null : ago(closedDays),
      ],
    );
  }

  const link = (caseId: string, k: string, ref: string) =>
    db.query(
      `insert into case_links (case_id, kind, ref, linked_at, linked_by) values ($1, $2, $3, $4, 'lt')`,
      [caseId, k, ref, ago(1)],
    );

  async function incident(id: string, closedDays: number | null) {
    await db.query(
      `insert into incidents (id, number, call_type_code, call_type_text, status, needs_placement,
         outside_jurisdiction, worked, received_at, updated_at, closed_at)
       values ($1, $1, 'SHOTS', 'Shots fired', $2, false, false, true, $3, $3, $4)`,
      [
        id,
        closedDays === null ? 'on_scene' : 'closed',
        ago(1000),
        closedDays === null ? null : ago(closedDays),
      ],
    );
    await db.query(
      `insert into incident_status_changes (incident_id, at, status) values ($1, $2, 'closed')`,
      [id, ago(900)],
    );
    await db.query(
      `insert into incident_notes (id, incident_id, at, author_name, text) values ($1, $2, $3, 'a', 'note')`,
      [`note-${id}`, id, ago(900)],
    );
  }

  async function evidence(id: string, caseNumber: string, fetchedDays: number, label: string) {
    const camera = (await db.query<{ id: string }>('select id from cameras limit 1')).rows[0]!.id;
    await db.query(
      `insert into evidence_files (id, case_number, kind, camera_id, camera_name, consent, range_start,
         range_end, source, sha256, size_bytes, content_type, fetched_by, fetched_at)
       values ($1, $2, 'recording', $3, 'Cam', '{}', $4, $4, 'recordings', $5, 10, 'video/mp4', 'a', $4)`,
      [id, caseNumber, camera, ago(fetchedDays), await mediaFile(label)],
    );
  }

  async function grant(id: string, expiredDays: number, reference: string) {
    const camera = (await db.query<{ id: string }>('select id from cameras limit 1')).rows[0]!.id;
    await db.query(
      `insert into camera_grants (id, camera_id, user_id, reason, access, issued_at, expires_at)
       values ($1, $2, $3, $4, 'live', $5, $5)`,
      [id, camera, admin.id, JSON.stringify({ code: 'case', reference }), ago(expiredDays)],
    );
  }

  async function shiftLog(date: string, endedDays: number) {
    await db.query(
      `insert into shift_logs (shift_date, shift_name, starts_at, ends_at) values ($1, 'Day', $2, $3)`,
      [date, ago(endedDays, 12), ago(endedDays)],
    );
    await db.query(
      `insert into shift_entries (id, shift_date, shift_name, at, written_at, kind, text, author_name, addendum)
       values ($1, $2, 'Day', $3, $3, 'other', 'Quiet', 's', false)`,
      [`entry-${date}`, date, ago(endedDays, 6)],
    );
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    db = t.store.store;
    now = t.clock.now();
    admin = await t.user('admin');
    lieutenant = await t.user('lieutenant');
    for (const scope of ['lpr', 'gunshot', 'tracks'] as const) {
      await createIntegration(t.app.ctx, { name: scope, scope }, SYSTEM_ACTOR);
    }
    expect((await t.as(admin, 'POST', '/v1/cameras', agencyCamera())).statusCode).toBe(201);
    const d = DEFAULT_RETENTION;

    // Cases: one held (closed long ago), one closed past the evidence period, one closed within
    // it, one open.
    await caseRow('case-held', '2026-000001', d.evidence + 1);
    await caseRow('case-old', '2026-000002', d.evidence + 1);
    await caseRow('case-young', '2026-000003', d.evidence - 1);
    await caseRow('case-open', '2026-000004', null);
    const hold = await t.as(lieutenant, 'PUT', '/v1/cases/2026-000001/legal-hold', {
      held: true,
      reason: 'Preservation letter from the district attorney',
    });
    expect(hold.statusCode, hold.body).toBe(200);

    // Tips: threads a day over and under their period; media over its own; a held thread.
    await thread('t-old', d.tipThreads + 1, { days: d.tipThreads + 5, media: 'tip-old' });
    await thread('t-young', d.tipThreads - 1, { days: d.tipThreads - 1, media: 'tip-media-old' });
    await thread('t-recent', d.tipMedia - 1, { days: d.tipMedia - 1, media: 'tip-media-young' });
    await thread('t-held', d.tipThreads + 30, {
      days: d.tipThreads + 30,
      caseNumber: '2026-000001',
      media: 'tip-held',
    });

    // LPR hits the center did not work (30 days), and hits it did (the alerts' period).
    await alert('lpr-old', 'lpr', d.lprUnmatched + 1, { media: 'lpr-old' });
    await alert('lpr-young', 'lpr', d.lprUnmatched - 1, { media: 'lpr-young' });
    await alert('lpr-acked', 'lpr', d.lprUnmatched + 1, { acknowledged: true });
    await alert('lpr-linked', 'lpr', d.lprUnmatched + 1);
    await link('case-open', 'alert', 'lpr-linked');
    await alert('lpr-acked-old', 'lpr', d.alerts + 1, { acknowledged: true });
    await alert('gun-old', 'gunshot', d.alerts + 1);
    await alert('gun-young', 'gunshot', d.alerts - 1);
    await alert('gun-held', 'gunshot', d.alerts + 1);
    await link('case-held', 'alert', 'gun-held');

    // Tracks.
    const tracker = (
      await db.query<{ id: string }>(`select id from integrations where scope = 'tracks'`)
    ).rows[0]!.id;
    for (const [subject, days] of [
      ['s-old', d.tracks + 1],
      ['s-young', d.tracks - 1],
    ] as const) {
      await db.query(
        `insert into track_points (integration_id, subject, at, lat, lng, received_at) values ($1, $2, $3, 36, -80, $3)`,
        [tracker, subject, ago(days)],
      );
      await db.query(
        `insert into track_subjects (integration_id, subject, last_at, last_lat, last_lng) values ($1, $2, $3, 36, -80)`,
        [tracker, subject, ago(days)],
      );
    }

    // Incidents: closed over and under the period, open, held, and one a product names.
    await incident('inc-old', d.incidents + 1);
    await incident('inc-young', d.incidents - 1);
    await incident('inc-open', null);
    await incident('inc-held', d.incidents + 1);
    await link('case-held', 'incident', 'inc-held');
    await incident('inc-product', d.incidents + 1);
    await db.query(
      `insert into products (id, number, kind, title, incident_id, text, author_name, created_at)
       values ('prod-1', 'AR-1', 'assist_report', 'Assist', 'inc-product', 'text', 'a', $1)`,
      [ago(d.incidents + 1)],
    );

    // Evidence: by the case's closing; a held case's; an open case's, however old.
    await evidence('ev-old', '2026-000002', d.evidence + 10, 'ev-old');
    await db.query(
      `insert into evidence_exports (id, case_number, dir, manifest_sha256, files, size_bytes, key_fingerprint, created_by, created_at)
       values ('exp-old', '2026-000002', 'pkg-2026-000002', 'x', 1, 10, 'k', 'a', $1)`,
      [ago(d.evidence + 5)],
    );
    await mkdir(join(t.app.ctx.config.evidenceDir, 'pkg-2026-000002'), { recursive: true });
    await writeFile(join(t.app.ctx.config.evidenceDir, 'pkg-2026-000002', 'manifest.json'), '{}');
    await evidence('ev-young', '2026-000003', d.evidence + 10, 'ev-young');
    await evidence('ev-held', '2026-000001', d.evidence + 10, 'ev-held');
    await evidence('ev-open', '2026-000004', 3000, 'ev-open');

    // Shift logs and camera view grants.
    await shiftLog('2020-01-01', d.shiftLogs + 1);
    await shiftLog('2020-01-03', d.shiftLogs - 1);
    await grant('g-old', d.cameraViews + 1, 'INC-1');
    await grant('g-young', d.cameraViews - 1, 'INC-2');
    await grant('g-held', d.cameraViews + 1, '2026-000001');

    // Media nothing references: written two hours ago, and a minute ago (perhaps a row not yet
    // committed).
    await mediaFile('orphan-old', 2 * HOUR);
    await mediaFile('orphan-new', 60_000);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses the purge to everyone but an administrator, and the hold to an analyst', async () => {
    for (const role of ['analyst', 'lieutenant', 'supervisor', 'officer'] as const) {
      const user = await t.user(role);
      const res = await t.as(user, 'POST', '/v1/retention/purge', {});
      expect(res.statusCode, role).toBe(403);
    }
    const analyst = await t.user('analyst');
    const hold = await t.as(analyst, 'PUT', '/v1/cases/2026-000002/legal-hold', {
      held: true,
      reason: 'x',
    });
    expect(hold.statusCode).toBe(403);
    expect(await ids(`select id from retention_runs`)).toEqual([]);
  });

  it('deletes exactly the expired, unheld records and the files nothing references', async () => {
    const auditBefore = await ids(`select id::text as id from audit_log`);
    const res = await t.as(admin, 'POST', '/v1/retention/purge', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ alreadyRunning: false, run: { trigger: 'admin' } });
    await purgerOf.get(t.app.ctx)!.whenIdle();

    expect(await ids('select id from tip_threads')).toEqual(['t-held', 't-recent', 't-young']);
    expect(await ids('select id from tips')).toEqual(['tip-t-held', 'tip-t-recent', 'tip-t-young']);
    expect(await ids('select id from tip_replies')).toEqual([
      'reply-t-held',
      'reply-t-recent',
      'reply-t-young',
    ]);
    expect(await ids('select tip_id as id from tip_attachments')).toEqual([
      'tip-t-held',
      'tip-t-recent',
    ]);
    expect(await ids('select id from alerts')).toEqual([
      'gun-held',
      'gun-young',
      'lpr-acked',
      'lpr-linked',
      'lpr-young',
    ]);
    expect(await ids('select alert_id as id from alert_evidence')).toEqual(['lpr-young']);
    expect(await ids('select subject as id from track_points')).toEqual(['s-young']);
    expect(await ids('select subject as id from track_subjects')).toEqual(['s-young']);
    expect(await ids('select id from incidents')).toEqual([
      'inc-held',
      'inc-open',
      'inc-product',
      'inc-young',
    ]);
    expect(await ids('select distinct incident_id as id from incident_notes')).toEqual([
      'inc-held',
      'inc-open',
      'inc-product',
      'inc-young',
    ]);
    expect(await ids('select id from evidence_files')).toEqual(['ev-held', 'ev-open', 'ev-young']);
    expect(await ids('select id from evidence_exports')).toEqual([]);
    await expect(stat(join(t.app.ctx.config.evidenceDir, 'pkg-2026-000002'))).rejects.toThrow(
      /ENOENT/,
    );
    expect(await ids('select shift_date as id from shift_logs')).toEqual(['2020-01-03']);
    expect(await ids('select shift_date as id from shift_entries')).toEqual(['2020-01-03']);
    expect(await ids('select id from camera_grants')).toEqual(['g-held', 'g-young']);
    expect(await ids('select ref as id from case_links')).toEqual([
      'gun-held',
      'inc-held',
      'lpr-linked',
    ]);
    // The cases themselves are not data this feature expires.
    expect(await ids('select id from cases')).toHaveLength(4);

    expect(await mediaLeft()).toEqual([
      'ev-held',
      'ev-open',
      'ev-young',
      'lpr-young',
      'orphan-new',
      'tip-held',
      'tip-media-young',
    ]);

    // The trail only grew: by one entry for the run, and it still verifies.
    const after = await ids(`select id::text as id from audit_log`);
    expect(after.filter((id) => !auditBefore.includes(id))).toHaveLength(1);
    expect(auditBefore.every((id) => after.includes(id))).toBe(true);
    expect((await verifyAuditChain(db)).ok).toBe(true);

    const counts = {
      tipMedia: 2,
      tipThreads: 1,
      tips: 1,
      lprUnmatched: 1,
      alerts: 2,
      tracks: 1,
      trackSubjects: 1,
      incidents: 1,
      evidence: 1,
      evidencePackages: 1,
      shiftLogs: 1,
      cameraViews: 1,
      orphanMedia: 5,
      held: 6,
    };
    const audit = await db.query<{ actor_name: string; outcome: string; details: unknown }>(
      `select actor_name, outcome, details from audit_log where action = 'retention.purge'`,
    );
    expect(audit.rows).toHaveLength(1);
    const details = (
      typeof audit.rows[0]!.details === 'string'
        ? JSON.parse(audit.rows[0]!.details)
        : audit.rows[0]!.details
    ) as Record<string, unknown>;
    expect(audit.rows[0]).toMatchObject({ actor_name: admin.username, outcome: 'success' });
    expect(details.counts).toMatchObject(counts);
    expect(details.heldByLegalHold).toEqual({
      tipMedia: 1,
      tipThreads: 1,
      alerts: 1,
      incidents: 1,
      evidence: 1,
      cameraViews: 1,
    });
    expect(details.periodsDays).toEqual(DEFAULT_RETENTION);

    const status = (await t.as(admin, 'GET', '/v1/retention')).json();
    expect(status.running).toBe(false);
    expect(status.lastRun).toMatchObject({ outcome: 'completed', trigger: 'admin', counts });
    const events = await db.query<{ n: number }>(
      `select count(*)::int as n from events where type = 'retention.purged'`,
    );
    expect(Number(events.rows[0]!.n)).toBe(1);
  });

  it('lifting the hold lets the next run take what it kept; a second run finds nothing else', async () => {
    const lift = await t.as(lieutenant, 'PUT', '/v1/cases/2026-000001/legal-hold', {
      held: false,
      reason: 'Litigation ended',
    });
    expect(lift.statusCode, lift.body).toBe(200);
    expect(lift.json()).toMatchObject({
      held: false,
      reason: 'Litigation ended',
      setBy: lieutenant.username,
    });
    const analyst = await t.user('analyst');
    const read = await t.as(analyst, 'GET', '/v1/cases/2026-000001/legal-hold');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(lift.json());
    expect((await t.as(analyst, 'GET', '/v1/cases/2026-999999/legal-hold')).json()).toMatchObject({
      message: 'There is no case 2026-999999.',
    });
    const actions = await db.query<{ action: string; target_id: string }>(
      `select action, target_id from audit_log where action like 'case.legal_hold.%' order by id`,
    );
    expect(actions.rows).toEqual([
      { action: 'case.legal_hold.set', target_id: '2026-000001' },
      { action: 'case.legal_hold.lift', target_id: '2026-000001' },
    ]);

    // One record per batch: every kind takes several batches, each its own transaction.
    const run = await new RetentionPurger(t.app.ctx, { batchSize: 1 }).run('admin', SYSTEM_ACTOR);
    expect(run.counts).toMatchObject({
      tipMedia: 1,
      tipThreads: 1,
      alerts: 1,
      incidents: 1,
      evidence: 1,
      cameraViews: 1,
      orphanMedia: 2,
      held: 0,
    });
    expect(await ids('select id from camera_grants')).toEqual(['g-young']);
    // The held alert and incident went with their links to the case.
    expect(await ids('select ref as id from case_links')).toEqual(['lpr-linked']);
    const again = await purgerOf.get(t.app.ctx)!.run('admin', SYSTEM_ACTOR);
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('runs by itself once a day, and names a run a crash cut short', async () => {
    await db.query(
      `insert into retention_runs (id, trigger, started_by, started_at, counts)
       values ('cut-short', 'admin', 'admin1', $1, '{"lprUnmatched": 500}')`,
      [ago(2)],
    );
    await t.app.ctx.tasks.runNow(PURGE_TASK);
    await t.app.ctx.tasks.runNow(PURGE_TASK);
    expect(await ids(`select id from retention_runs where trigger = 'schedule'`)).toHaveLength(1);
    t.clock.advance(DAY + 1);
    await t.app.ctx.tasks.runNow(PURGE_TASK);
    expect(await ids(`select id from retention_runs where trigger = 'schedule'`)).toHaveLength(2);
    const system = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'retention.purge' and actor_name = 'system'`,
    );
    // The two runs above (by the test, as the system) and the two scheduled ones.
    expect(Number(system.rows[0]!.n)).toBe(4);
    const cut = await db.query<{ outcome: string }>(
      `select outcome from retention_runs where id = 'cut-short'`,
    );
    expect(cut.rows[0]!.outcome).toBe('interrupted');
    const named = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'retention.purge'
         and details->'interruptedRuns' @> '[{"id": "cut-short", "counts": {"lprUnmatched": 500}}]'`,
    );
    expect(Number(named.rows[0]!.n)).toBe(1);
  });

  it('stops a run under way when the server stops, recording it as failed and why', async () => {
    const purger = new RetentionPurger(t.app.ctx);
    const started = await purger.start('admin', SYSTEM_ACTOR);
    await purger.stop();
    const run = await started.done;
    expect(run).toMatchObject({ outcome: 'failed', problem: 'the server is stopping' });
    const audit = await db.query<{ outcome: string }>(
      `select outcome from audit_log where action = 'retention.purge' and target_id = $1`,
      [run.id],
    );
    expect(audit.rows).toEqual([{ outcome: 'failure' }]);
    await expect(purger.start('admin', SYSTEM_ACTOR)).rejects.toThrow('the server is stopping');
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
