import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../server/store/store';
import type { EvidenceFile } from '../../../shared/api/evidence';
import { CASE, fetchBody, startEvidenceWorld, type EvidenceWorld } from './evidenceSupport';

/**
 * Every evidence route takes malformed and hostile input from a user who may call it, aimed at
 * real records: each answers 4xx with a message naming what is wrong, never 5xx, and nothing
 * changes (the hostile-input walk of test/server/http reaches these routes as an administrator,
 * who may not call them).
 */

const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '\u0000\u0001',
  'A'.repeat(5000),
  '🦄'.repeat(300),
  '-1',
  'NaN',
];

const HOSTILE_VALUES: unknown[] = [
  null,
  -1,
  Number.MAX_VALUE,
  true,
  [],
  { $ne: null },
  "' OR 1=1 --",
  'before\u0000after',
  '../../../../etc/passwd',
  'A'.repeat(100_000),
];

const TABLES = [
  'evidence_files',
  'evidence_custody',
  'evidence_exports',
  'evidence_links',
  'camera_recording_sources',
];

async function snapshot(db: Queryable): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const res = await db.query<{ digest: string; n: number }>(
      `select md5(coalesce(string_agg(to_jsonb(t)::text, '|' order by to_jsonb(t)::text), '')) as digest,
         count(*)::int as n from ${table} t`,
    );
    out[table] = `${res.rows[0]!.n}:${res.rows[0]!.digest}`;
  }
  return out;
}

describe('hostile input against the evidence routes', () => {
  let w: EvidenceWorld;
  let file: EvidenceFile;

  beforeAll(async () => {
    w = await startEvidenceWorld('pglite');
    const res = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.always.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:04Z'),
    );
    expect(res.statusCode, res.body).toBe(201);
    file = res.json() as EvidenceFile;
  }, 120_000);
  afterAll(async () => {
    await w.close();
  });

  it('answers each attack with a clear 4xx and changes nothing', async () => {
    const attacks: {
      method: 'GET' | 'POST' | 'DELETE';
      url: string;
      body?: unknown;
      raw?: string;
    }[] = [];
    const validFetch = fetchBody(w.always.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:04Z');
    for (const s of HOSTILE_STRINGS) {
      const p = encodeURIComponent(s);
      attacks.push(
        { method: 'GET', url: `/v1/evidence/cases/${p}` },
        { method: 'POST', url: `/v1/evidence/cases/${p}/exports`, body: {} },
        { method: 'POST', url: `/v1/evidence/files/${p}/stills`, body: {} },
        { method: 'DELETE', url: `/v1/evidence/links/${p}` },
        { method: 'POST', url: `/v1/evidence/links/${p}/open` },
        { method: 'GET', url: `/v1/evidence/links/${p}/video` },
        { method: 'POST', url: `/v1/evidence/clips?caseNumber=${p}&cameraId=x`, raw: 'x' },
      );
    }
    for (const v of HOSTILE_VALUES) {
      for (const field of Object.keys({ ...validFetch, pullId: 1 })) {
        attacks.push({
          method: 'POST',
          url: '/v1/evidence/recordings',
          body: { ...validFetch, [field]: v },
        });
      }
      // The officer is free text (a name, badge or unit): a string is stored as written.
      const fields = typeof v === 'string' ? ['fileId', 'hours'] : ['fileId', 'officer', 'hours'];
      for (const field of fields) {
        attacks.push({
          method: 'POST',
          url: '/v1/evidence/links',
          body: { fileId: file.id, officer: 'Ofc. Diaz', hours: 2, [field]: v },
        });
      }
      attacks.push(
        { method: 'POST', url: `/v1/evidence/files/${file.id}/stills`, body: { atSec: v } },
        { method: 'POST', url: `/v1/evidence/cases/${CASE}/exports`, body: { pullId: v } },
      );
    }
    attacks.push(
      // A range too long, backwards, and a field nobody asked for.
      {
        method: 'POST',
        url: '/v1/evidence/recordings',
        body: { ...validFetch, end: '2026-11-29T17:00:00Z' },
      },
      {
        method: 'POST',
        url: '/v1/evidence/recordings',
        body: { ...validFetch, end: '2026-11-28T16:00:00Z' },
      },
      { method: 'POST', url: '/v1/evidence/recordings', body: { ...validFetch, admin: true } },
      { method: 'POST', url: '/v1/evidence/recordings', raw: '{"unterminated": ' },
    );

    const before = await snapshot(w.t.store.store);
    const failures: string[] = [];
    for (const a of attacks) {
      const res = await w.t.app.api.inject({
        method: a.method,
        url: a.url,
        headers: {
          authorization: `Bearer ${w.analyst.token}`,
          ...(a.body !== undefined || a.raw !== undefined
            ? {
                'content-type': a.url.startsWith('/v1/evidence/clips')
                  ? 'video/mp4'
                  : 'application/json',
              }
            : {}),
        },
        ...(a.body !== undefined ? { payload: JSON.stringify(a.body) } : {}),
        ...(a.raw !== undefined ? { payload: a.raw } : {}),
      });
      const where = `${a.method} ${a.url.slice(0, 80)} ${JSON.stringify(a.body)?.slice(0, 60)} → ${res.statusCode}`;
      // A read of a case number that is only letters ("NaN") is a well-formed empty answer.
      if (a.method === 'GET' && res.statusCode === 200) continue;
      if (res.statusCode < 400 || res.statusCode >= 500) {
        failures.push(`${where}: ${res.body.slice(0, 160)}`);
        continue;
      }
      const body = res.json() as { message?: unknown };
      if (typeof body.message !== 'string' || body.message === '')
        failures.push(`${where}: no message`);
      if (/\.ts:\d+|\n\s+at /.test(res.body)) failures.push(`${where}: stack trace`);
    }
    expect(attacks.length).toBeGreaterThan(150);
    expect(failures).toEqual([]);
    expect(await snapshot(w.t.store.store)).toEqual(before);
  }, 180_000);

  it("adds a workstation's exported clip only with its own SHA-256 and its own grant", async () => {
    const bytes = await readFile(
      join(w.t.app.ctx.config.mediaDir, file.sha256.slice(0, 2), file.sha256),
    );
    const send = (sha: string, grantId: string) =>
      w.t.app.api.inject({
        method: 'POST',
        url: `/v1/evidence/clips?caseNumber=${CASE}&cameraId=${w.always.id}&grantId=${grantId}&start=2026-11-29T18:00:00Z&end=2026-11-29T18:00:04Z&sha256=${sha}`,
        headers: { authorization: `Bearer ${w.analyst.token}`, 'content-type': 'video/mp4' },
        payload: bytes,
      });
    const grant = await w.t.as(w.analyst, 'POST', `/v1/cameras/${w.always.id}/grants`, {
      reason: { code: 'camera_pull', reference: CASE },
      access: 'recordings',
    });
    expect(grant.statusCode, grant.body).toBe(200);
    const grantId = grant.json().grantId as string;

    const wrongHash = await send('0'.repeat(64), grantId);
    expect(wrongHash.statusCode).toBe(409);
    expect(wrongHash.json().message).toMatch(/changed on the way/);
    const otherGrant = await send(file.sha256, '00000000-0000-4000-8000-000000000000');
    expect(otherGrant.statusCode).toBe(409);

    const added = await send(file.sha256, grantId);
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ kind: 'clip', source: 'replay', sha256: file.sha256 });
    const custody = (await w.t.as(w.analyst, 'GET', `/v1/evidence/cases/${CASE}`)).json().custody;
    expect(custody.slice(-2).map((e: { action: string }) => e.action)).toEqual([
      'fetched',
      'hashed',
    ]);
    expect(custody.at(-2).details).toMatchObject({ source: 'replay', grantId });
  });
});
