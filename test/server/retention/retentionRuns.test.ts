import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable, Store } from '../../../server/store/store';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { createIntegration } from '../../../server/integrations/integrationChanges';
import { RetentionPurger } from '../../../server/retention/retentionPurge';
import {
  DEFAULT_RETENTION,
  RETENTION_KINDS,
  retentionCutoff,
} from '../../../shared/domain/retention';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * One run of the purge at a time, on small data made for each case: how a kind is taken in
 * batches, which media files the sweep may remove, runs cut short, a second start, failures, and
 * what the run's audit entry says (docs/retention.md). The purge against every kind of record is
 * in retentionPurge.test.ts.
 */
describe.each(STORE_KINDS)('a retention run on %s', (kind) => {
  let t: TestApp;
  let db: Queryable;
  const logged: Record<string, unknown>[] = [];
  const ago = (ms: number) => new Date(t.clock.now() - ms).toISOString();
  const purger = (options: { batchSize?: number; orphanGraceMs?: number } = {}) =>
    new RetentionPurger(t.app.ctx, options);

  async function auditOf(runId: string) {
    const res = await db.query<{ target_type: string; outcome: string; details: unknown }>(
      `select target_type, outcome, details from audit_log
       where action = 'retention.purge' and target_id = $1`,
      [runId],
    );
    expect(res.rows).toHaveLength(1);
    const row = res.rows[0]!;
    const details = (
      typeof row.details === 'string' ? JSON.parse(row.details) : row.details
    ) as Record<string, unknown>;
    return { ...row, details };
  }

  async function runRow(id: string) {
    const res = await db.query<{ outcome: string | null; finished_at: unknown }>(
      'select outcome, finished_at from retention_runs where id = $1',
      [id],
    );
    return res.rows[0];
  }

  beforeAll(async () => {
    t = await startTestApp(kind, {
      logger: pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) }),
    });
    db = t.store.store;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is scheduled under its own name among the server tasks', () => {
    // The name an operator finds in the log when the daily check fails.
    expect(t.app.ctx.tasks.count('retention.purge')).toBe(1);
  });

  it('takes a kind in batches until none is left, and a second table left over after its first', async () => {
    const expired = ago((DEFAULT_RETENTION.shiftLogs + 1) * DAY);
    for (let day = 1; day <= 5; day += 1) {
      await db.query(
        `insert into shift_logs (shift_date, shift_name, starts_at, ends_at) values ($1, 'Day', $2, $2)`,
        [`2020-01-0${day}`, expired],
      );
    }
    await db.query(
      `insert into shift_logs (shift_date, shift_name, starts_at, ends_at) values ('2020-02-01', 'Day', $1, $1)`,
      [ago(DAY)],
    );
    // Subjects whose points are already gone: the batch finds no point, then takes subjects.
    const tracker = await createIntegration(
      t.app.ctx,
      { name: 'Trackers', scope: 'tracks' },
      SYSTEM_ACTOR,
    );
    for (let n = 1; n <= 5; n += 1) {
      await db.query(
        `insert into track_subjects (integration_id, subject, last_at, last_lat, last_lng)
         values ($1, $2, $3, 36, -80)`,
        [tracker.id, `unit-${n}`, ago((DEFAULT_RETENTION.tracks + 1) * DAY)],
      );
    }

    const run = await purger({ batchSize: 2 }).run('admin', SYSTEM_ACTOR);
    expect(run.outcome).toBe('completed');
    // Only the kinds a batch took from are named (the tracks' batch always reports its subjects).
    expect(run.counts).toEqual({
      shiftLogs: 5,
      tracks: 0,
      trackSubjects: 5,
      orphanMedia: 0,
      held: 0,
    });
    const left = await db.query<{ shift_date: string }>('select shift_date from shift_logs');
    expect(left.rows).toEqual([{ shift_date: '2020-02-01' }]);
    const subjects = await db.query('select subject from track_subjects');
    expect(subjects.rows).toEqual([]);
  });

  it('answers a second start with the run under way, which has not finished yet', async () => {
    const p = purger();
    const before = await db.query<{ n: number }>('select count(*)::int as n from retention_runs');
    const [first, second] = await Promise.all([
      p.start('admin', SYSTEM_ACTOR),
      p.start('schedule', SYSTEM_ACTOR),
    ]);
    expect(first.alreadyRunning).toBe(false);
    expect(second.alreadyRunning).toBe(true);
    expect(second.run).toEqual(first.run);
    expect(first.run).toMatchObject({ trigger: 'admin', finishedAt: null, outcome: null });
    expect(p.running).toBe(true);
    const done = await first.done;
    expect(await second.done).toEqual(done);
    expect(done.finishedAt).not.toBeNull();
    await p.whenIdle();
    expect(p.running).toBe(false);
    const after = await db.query<{ n: number }>('select count(*)::int as n from retention_runs');
    expect(Number(after.rows[0]!.n)).toBe(Number(before.rows[0]!.n) + 1);
  });

  it('waits for nothing when no run is under way', async () => {
    const p = purger();
    await expect(p.whenIdle()).resolves.toBeUndefined();
    await expect(p.stop()).resolves.toBeUndefined();
  });

  it('fails a start whose run cannot be written, and is free for the next one', async () => {
    const store = t.app.ctx.store;
    const unreachable = Object.assign(Object.create(store) as Store, {
      transaction: () => Promise.reject(new Error('the database is unreachable')),
    });
    const p = new RetentionPurger({ ...t.app.ctx, store: unreachable });
    await expect(p.start('admin', SYSTEM_ACTOR)).rejects.toThrow('the database is unreachable');
    expect(p.running).toBe(false);
  });

  it('names the unfinished runs a crash cut short, not one that may still be going', async () => {
    await db.query(
      `insert into retention_runs (id, trigger, started_by, started_at, counts)
       values ('still-going', 'admin', 'admin1', $1, '{}'),
              ('cut-short', 'schedule', 'system', $2, '{"shiftLogs": 3}')`,
      [ago(11 * HOUR), ago(13 * HOUR)],
    );
    const run = await purger().run('admin', SYSTEM_ACTOR);
    expect(await runRow('cut-short')).toMatchObject({ outcome: 'interrupted', finished_at: null });
    expect(await runRow('still-going')).toMatchObject({ outcome: null, finished_at: null });
    const audit = await auditOf(run.id);
    expect(audit.details.interruptedRuns).toEqual([{ id: 'cut-short', counts: { shiftLogs: 3 } }]);
    await db.query(`delete from retention_runs where id = 'still-going'`);
  });

  it('records in its audit entry the run, the periods and the cutoff it applied to each kind', async () => {
    const run = await purger().run('admin', SYSTEM_ACTOR);
    const now = t.clock.now();
    const audit = await auditOf(run.id);
    expect(audit).toMatchObject({ target_type: 'retention_run', outcome: 'success' });
    expect(audit.details).toMatchObject({ trigger: 'admin', periodsDays: DEFAULT_RETENTION });
    expect(audit.details.cutoffs).toEqual(
      Object.fromEntries(
        RETENTION_KINDS.map((k) => [k, retentionCutoff(DEFAULT_RETENTION[k], now).toISOString()]),
      ),
    );
    expect(audit.details).not.toHaveProperty('problem');
    expect(audit.details.interruptedRuns).toEqual([]);
  });

  it("removes an expired package's folder, never a path outside the evidence folder", async () => {
    const { evidenceDir, mediaDir } = t.app.ctx.config;
    await mkdir(join(evidenceDir, 'pkg-2025-000101'), { recursive: true });
    await writeFile(join(evidenceDir, 'pkg-2025-000101', 'manifest.json'), '{}');
    for (const outside of ['outside-a', 'outside-b']) {
      await mkdir(join(mediaDir, outside), { recursive: true });
      await writeFile(join(mediaDir, outside, 'keep.txt'), 'not the purge’s');
    }
    // The last one's folder is already gone (removed by hand): nothing to remove, no failure.
    const dirs = [
      'pkg-2025-000101',
      '../outside-a',
      'pkg-2025-000103/../../outside-b',
      'pkg-2025-000104',
    ];
    for (const [n, dir] of dirs.entries()) {
      await db.query(
        `insert into evidence_exports (id, case_number, dir, manifest_sha256, files, size_bytes,
           key_fingerprint, created_by, created_at)
         values ($1, $2, $3, 'x', 1, 10, 'k', 'a', $4)`,
        [`exp-${n}`, `2025-00010${n + 1}`, dir, ago((DEFAULT_RETENTION.evidence + 1) * DAY)],
      );
    }
    const run = await purger().run('admin', SYSTEM_ACTOR);
    expect(run).toMatchObject({ outcome: 'completed', counts: { evidencePackages: 4 } });
    await expect(stat(join(evidenceDir, 'pkg-2025-000101'))).rejects.toThrow(/ENOENT/);
    for (const outside of ['outside-a', 'outside-b']) {
      expect(await readdir(join(mediaDir, outside))).toEqual(['keep.txt']);
    }
  });

  it("sweeps only media files in the store's own buckets, nothing names, at least the grace period old", async () => {
    const { mediaDir } = t.app.ctx.config;
    // A whole second, so that a file's time can be exactly the grace period ago.
    t.clock.advance(1000 - (t.clock.now() % 1000));
    const grace = 10 * 60_000;
    const files = new Map<string, string>();
    /** An unreferenced file, by default named by its hash in its bucket. */
    async function file(
      label: string,
      ageMs: number,
      where: (sha: string) => { folder: string; name: string } = (sha) => ({
        folder: sha.slice(0, 2),
        name: sha,
      }),
    ) {
      const { folder, name } = where(createHash('sha256').update(label).digest('hex'));
      await mkdir(join(mediaDir, folder), { recursive: true });
      const path = join(mediaDir, folder, name);
      await writeFile(path, label);
      const when = (t.clock.now() - ageMs) / 1000;
      await utimes(path, when, when);
      files.set(label, path);
    }
    await file('old', 2 * HOUR);
    await file('exactly the grace period old', grace);
    await file('a second younger', grace - 1000);
    // Names the store never gives a stored file: a partial copy, a file in another's bucket.
    await file('partial', 2 * HOUR, (sha) => ({ folder: sha.slice(0, 2), name: `${sha}.part` }));
    await file('in the wrong bucket', 2 * HOUR, (sha) => ({
      folder: sha.startsWith('00') ? '11' : '00',
      name: sha,
    }));
    // A folder that is not a bucket, though named with hex digits.
    await file('in a longer folder', 2 * HOUR, (sha) => ({ folder: sha.slice(0, 3), name: sha }));
    // A put cut short, left in the store's own folder.
    const incoming = join(mediaDir, `.incoming-${randomBytes(12).toString('hex')}`);
    await writeFile(incoming, 'partial');
    await utimes(incoming, 0, 0);

    const run = await purger({ orphanGraceMs: grace }).run('admin', SYSTEM_ACTOR);
    expect(run).toMatchObject({ outcome: 'completed', counts: { orphanMedia: 2 } });
    const exists = async (path: string) =>
      stat(path).then(
        () => true,
        () => false,
      );
    const left: string[] = [];
    for (const [label, path] of files) if (await exists(path)) left.push(label);
    expect(left.sort()).toEqual([
      'a second younger',
      'in a longer folder',
      'in the wrong bucket',
      'partial',
    ]);
    expect(await exists(incoming)).toBe(true);
  });

  it('finds nothing to sweep without a media folder; one it cannot read fails the run, logged and audited', async () => {
    const { mediaDir } = t.app.ctx.config;
    await rm(mediaDir, { recursive: true, force: true });
    const empty = await purger().run('admin', SYSTEM_ACTOR);
    expect(empty).toMatchObject({
      outcome: 'completed',
      problem: null,
      counts: { orphanMedia: 0 },
    });

    await writeFile(mediaDir, 'not a folder');
    try {
      const failed = await purger().run('admin', SYSTEM_ACTOR);
      expect(failed.outcome).toBe('failed');
      expect(failed.problem).toMatch(/ENOTDIR/);
      const audit = await auditOf(failed.id);
      expect(audit.outcome).toBe('failure');
      expect(audit.details.problem).toBe(failed.problem);
      expect(logged).toContainEqual(
        expect.objectContaining({
          msg: 'retention purge failed',
          run: failed.id,
          err: expect.objectContaining({ message: failed.problem }),
        }),
      );
    } finally {
      await rm(mediaDir, { force: true });
      await mkdir(mediaDir, { recursive: true });
    }
  });
});
