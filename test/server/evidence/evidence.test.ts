import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerCommand } from '../../../server/cli/commands';
import { findCustodyBreak } from '../../../server/evidence/custodyChain';
import type { CaseEvidence, EvidenceExport, EvidenceFile } from '../../../shared/api/evidence';
import type { PullDetail } from '../../../shared/domain/pulls';
import { STORE_KINDS } from '../../support/stores';
import { logPull, radioPull } from '../pulls/pullFixtures';
import { auditRows, countRows, eventsOfType } from '../cameras/cameraFixtures';
import {
  CASE,
  fetchBody,
  RECORDINGS_PASSWORD,
  startEvidenceWorld,
  type EvidenceWorld,
} from './evidenceSupport';

/** `wf evidence verify DIR`: its exit code and what it printed. */
async function verify(dir: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runServerCommand(
    ['evidence', 'verify', dir],
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(STORE_KINDS)('evidence on %s', (kind) => {
  let w: EvidenceWorld;
  let recording: EvidenceFile;
  let exported: EvidenceExport;

  beforeAll(async () => {
    w = await startEvidenceWorld(kind);
  }, 120_000);
  afterAll(async () => {
    await w.close();
  });

  const evidenceOf = async (): Promise<CaseEvidence> =>
    (await w.t.as(w.analyst, 'GET', `/v1/evidence/cases/${CASE}`)).json() as CaseEvidence;

  it('keeps the recordings source confidential: the camera says only that it has one', async () => {
    const res = await w.t.as(w.analyst, 'GET', `/v1/cameras/${w.always.id}`);
    expect(res.json()).toMatchObject({ hasRecordings: true });
    expect(res.body).not.toContain('/recordings/');
    expect(res.body).not.toContain(RECORDINGS_PASSWORD);
  });

  it('fetches a shared range for a pull through the server, stores it by SHA-256 with its custody, audited with the case, and marks the candidate', async () => {
    const pull = await logPull(w.t, w.analyst, {
      ...radioPull({ caseNumber: CASE }),
      position: { lat: w.always.lat, lon: w.always.lng },
      windowStart: '2026-11-28T16:50:00Z',
      windowEnd: '2026-11-28T17:10:00Z',
    });
    expect(pull.candidates.map((c) => c.cameraId)).toContain(w.always.id);
    const res = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.always.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:08Z', {
        pullId: pull.pull.id,
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain(RECORDINGS_PASSWORD);
    recording = res.json() as EvidenceFile;
    expect(recording).toMatchObject({
      caseNumber: CASE,
      kind: 'recording',
      cameraName: 'Corner Market 1',
      start: '2026-11-28T17:00:00.000Z',
      end: '2026-11-28T17:00:08.000Z',
      source: 'recordings',
      contentType: 'video/mp4',
      consent: { cameraKind: 'integrated', policy: { mode: 'always', recordings: true } },
    });
    const stored = await readFile(
      join(w.t.app.ctx.config.mediaDir, recording.sha256.slice(0, 2), recording.sha256),
    );
    expect(sha256(stored)).toBe(recording.sha256);
    expect(stored.length).toBe(recording.sizeBytes);
    // An MP4 (ftyp box first).
    expect(stored.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const evidence = await evidenceOf();
    expect(evidence.custody.map((e) => e.action)).toEqual(['requested', 'fetched', 'hashed']);
    expect(evidence.custody[2]!.details).toMatchObject({ sha256: recording.sha256 });
    expect(findCustodyBreak(evidence.custody)).toBeNull();
    const audit = await auditRows(w.t, 'evidence.fetch');
    expect(audit.at(-1)).toMatchObject({
      outcome: 'success',
      details: { caseNumber: CASE, reason: { code: 'camera_pull', reference: CASE } },
    });
    expect(JSON.stringify(audit)).not.toContain(RECORDINGS_PASSWORD);

    // Consoles showing the case hear of it (and read the evidence again).
    expect((await eventsOfType(w.t, 'evidence.changed')).at(-1)?.payload).toEqual({
      caseNumber: CASE,
      change: 'file',
    });
    const after = (
      await w.t.as(w.analyst, 'GET', `/v1/pulls/${pull.pull.id}`)
    ).json() as PullDetail;
    expect(after.candidates.find((c) => c.cameraId === w.always.id)).toMatchObject({
      outcome: 'footage_obtained',
      outcomeBy: w.analyst.username,
    });
    expect(after.pull.status).toBe('in_progress');
  }, 60_000);

  it("keeps footage for a pull only with that pull's case, and fetches nothing otherwise", async () => {
    const pull = await logPull(w.t, w.analyst, {
      ...radioPull({ caseNumber: '2026-000777' }),
      position: { lat: w.always.lat, lon: w.always.lng },
    });
    const before = (await evidenceOf()).files.length;
    const wrongCase = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.always.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:04Z', {
        pullId: pull.pull.id,
      }),
    );
    expect(wrongCase.statusCode).toBe(409);
    expect(wrongCase.json().message).toContain('belongs to case 2026-000777');
    const unknown = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.always.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:04Z', {
        pullId: '6f0c7b1e-4c1a-4d55-9a53-2f6f4f0f9a11',
      }),
    );
    expect(unknown.statusCode).toBe(404);
    expect((await evidenceOf()).files.length).toBe(before);
  });

  it("refuses a range outside the owner's shared window, with the reason, and audits the refusal", async () => {
    const before = await countRows(w.t, 'evidence_files');
    // Saturday noon in New York: the owner shares Monday to Friday only.
    const saturday = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.weekdays.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:10Z'),
    );
    expect(saturday.statusCode).toBe(403);
    expect(saturday.json()).toMatchObject({ code: 'sharing_policy' });
    expect(saturday.json().message).toMatch(/Mon–Fri 08:00–18:00 \(America\/New_York\)/);
    // Friday 17:59:50 to 18:00:10: the last twenty seconds are outside the window.
    const across = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.weekdays.id, '2026-11-27T22:59:50Z', '2026-11-27T23:00:10Z'),
    );
    expect(across.statusCode).toBe(403);
    expect(across.json().message).toMatch(/only for part of this range: from 2026-11-27T23:00:00/);
    const notShared = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.liveOnly.id, '2026-11-27T15:00:00Z', '2026-11-27T15:00:10Z'),
    );
    expect(notShared.statusCode).toBe(403);
    expect(notShared.json().message).toBe('Owner does not share recordings from this camera.');
    expect(await countRows(w.t, 'evidence_files')).toBe(before);
    const denied = (await auditRows(w.t, 'evidence.fetch')).filter((r) => r.outcome === 'denied');
    expect(denied).toHaveLength(3);
    expect(denied[0]!.details).toMatchObject({ caseNumber: CASE, denial: 'outside_window' });
    expect(denied[2]!.details).toMatchObject({ denial: 'not_shared' });
  });

  it('lets an officer fetch nothing', async () => {
    const res = await w.t.as(
      w.officer,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.always.id, '2026-11-28T17:00:00Z', '2026-11-28T17:00:05Z'),
    );
    expect(res.statusCode).toBe(403);
  });

  it('exports a signed package that verifies, with a still, audited', async () => {
    const res = await w.t.as(w.lieutenant, 'POST', `/v1/evidence/cases/${CASE}/exports`, {});
    expect(res.statusCode, res.body).toBe(201);
    exported = res.json() as EvidenceExport;
    expect(exported.files).toBe(2);
    const key = (await w.t.as(w.officer, 'GET', '/v1/evidence/key')).json();
    expect(exported.keyFingerprint).toBe(key.fingerprint);
    expect(key.fingerprint).toMatch(/^([0-9a-f]{4}:){15}[0-9a-f]{4}$/);

    const dir = join(w.t.app.ctx.config.evidenceDir, exported.dir);
    const files = (await readdir(join(dir, 'files'))).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^001-recording-corner-market-1-[0-9a-f]{12}\.mp4$/);
    expect(files[1]).toMatch(/^002-still-corner-market-1-[0-9a-f]{12}\.jpg$/);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ caseNumber: CASE, key: { fingerprint: key.fingerprint } });
    expect(manifest.files[0]).toMatchObject({
      sha256: recording.sha256,
      sizeBytes: recording.sizeBytes,
      camera: { id: w.always.id, name: 'Corner Market 1' },
      start: recording.start,
      end: recording.end,
      source: 'recordings',
    });
    expect(await readFile(join(dir, 'public-key.pem'), 'utf8')).toBe(key.publicKeyPem);

    const ok = await verify(dir);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain(`case ${CASE}`);
    expect(ok.out).toContain('2 files');
    const evidence = await evidenceOf();
    expect(evidence.custody.at(-1)).toMatchObject({
      action: 'exported',
      details: { packageId: exported.id, manifestSha256: exported.manifestSha256 },
    });
    expect((await auditRows(w.t, 'evidence.export')).at(-1)).toMatchObject({
      outcome: 'success',
      details: { caseNumber: CASE, files: 2 },
    });
  }, 60_000);

  it("lets a product take a still of its case's evidence by id, and no other file", async () => {
    const files = (await evidenceOf()).files;
    const still = files.find((f) => f.kind === 'still')!;
    const video = files.find((f) => f.kind === 'recording')!;
    const product = (stills: unknown[], caseNumber = CASE) =>
      w.t.as(w.analyst, 'POST', '/v1/products', {
        kind: 'bulletin',
        title: 'Attempt to identify',
        caseNumber,
        stills,
      });
    const made = await product([{ evidenceFileId: still.id, caption: 'From the exported clip' }]);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().stills).toEqual([
      expect.objectContaining({
        caption: 'From the exported clip',
        contentType: 'image/jpeg',
        bytes: still.sizeBytes,
      }),
    ]);
    const before = await countRows(w.t, 'products');
    const video400 = await product([{ evidenceFileId: video.id }]);
    expect(video400.statusCode).toBe(400);
    expect(video400.json().message).toMatch(/not a still/);
    const otherCase = await product([{ evidenceFileId: still.id }], '2026-000999');
    expect(otherCase.statusCode).toBe(409);
    expect(otherCase.json().message).toContain(`evidence of case ${CASE}`);
    const unknown = await product([{ evidenceFileId: '00000000-0000-4000-8000-000000000000' }]);
    expect(unknown.statusCode).toBe(404);
    expect(await countRows(w.t, 'products')).toBe(before);
  });

  describe('tampering is caught by evidence verify, which names it', () => {
    let work: string;
    let n = 0;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'wf-evidence-tamper-'));
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });
    const copy = async () => {
      const dir = join(work, `copy-${++n}`);
      await cp(join(w.t.app.ctx.config.evidenceDir, exported.dir), dir, { recursive: true });
      return dir;
    };

    it('one byte of a video flipped', async () => {
      const dir = await copy();
      const [video] = (await readdir(join(dir, 'files'))).filter((f) => f.endsWith('.mp4'));
      const path = join(dir, 'files', video!);
      const bytes = await readFile(path);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await writeFile(path, bytes);
      const r = await verify(dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`files/${video}`);
      expect(r.err).toContain('SHA-256');
    });

    it('the manifest edited', async () => {
      const dir = await copy();
      const path = join(dir, 'manifest.json');
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace('2026-11-28T17:00:08.000Z', '2026-11-28T17:05:08.000Z'));
      const r = await verify(dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain('manifest.json was changed after export');
    });

    it('a custody entry deleted', async () => {
      const dir = await copy();
      const path = join(dir, 'custody.jsonl');
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      lines.splice(1, 1);
      await writeFile(path, `${lines.join('\n')}\n`);
      const r = await verify(dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain('custody entry 2');
    });

    it('the signature replaced', async () => {
      const dir = await copy();
      const { privateKey } = generateKeyPairSync('ed25519');
      const forged = sign(null, await readFile(join(dir, 'manifest.json')), privateKey);
      await writeFile(join(dir, 'manifest.sig'), `${forged.toString('base64')}\n`);
      const r = await verify(dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain('signature');
    });

    it('and an untouched copy still verifies', async () => {
      expect((await verify(await copy())).code).toBe(0);
    });
  });

  it('replaces or removes a recordings source, never reading it back', async () => {
    const removed = await w.t.as(w.admin, 'PATCH', `/v1/cameras/${w.liveOnly.id}`, {
      recordings: null,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ hasRecordings: false });
    const none = await w.t.as(
      w.analyst,
      'POST',
      '/v1/evidence/recordings',
      fetchBody(w.liveOnly.id, '2026-11-27T15:00:00Z', '2026-11-27T15:00:10Z'),
    );
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toBe('"Diner 3" has no recordings source on file.');
    const replaced = await w.t.as(w.admin, 'PATCH', `/v1/cameras/${w.liveOnly.id}`, {
      recordings: {
        urlTemplate: 'http://nvr.example.test/api/diner/start/{start_unix}/end/{end_unix}/clip.mp4',
        password: 'Another-Secret-8',
      },
    });
    expect(replaced.json()).toMatchObject({ hasRecordings: true });
    expect(replaced.body).not.toContain('Another-Secret-8');
    const audited = (await auditRows(w.t, 'camera.update')).at(-1)!.details;
    expect(audited).toEqual({
      changed: ['recordings'],
      revokedGrants: [],
      // Before and after, without the address or the password: only that one is set.
      diff: {
        recordings: {
          before: null,
          after: { credentials: 'set' },
        },
      },
    });
    expect(JSON.stringify(audited)).not.toContain('Another-Secret-8');
  });

  describe("an officer's link", () => {
    it('opens within its time, audited and in the custody chain on each opening, then expires', async () => {
      const made = await w.t.as(w.analyst, 'POST', '/v1/evidence/links', {
        fileId: recording.id,
        officer: 'Ofc. R. Diaz #4471',
      });
      expect(made.statusCode, made.body).toBe(201);
      const link = made.json();
      expect(Date.parse(link.expiresAt) - Date.parse(link.createdAt)).toBe(24 * 3_600_000);
      const token = link.token as string;

      for (let i = 0; i < 2; i++) {
        const open = await w.t.as(w.officer, 'POST', `/v1/evidence/links/${token}/open`);
        expect(open.statusCode, open.body).toBe(200);
        expect(open.json()).toMatchObject({
          caseNumber: CASE,
          officer: 'Ofc. R. Diaz #4471',
          file: { id: recording.id, sha256: recording.sha256 },
        });
      }
      const video = await w.t.as(w.officer, 'GET', `/v1/evidence/links/${token}/video`);
      expect(video.statusCode).toBe(200);
      expect(video.headers['content-type']).toBe('video/mp4');
      expect(sha256(video.rawPayload)).toBe(recording.sha256);

      const opened = await auditRows(w.t, 'evidence.link.open');
      expect(opened.filter((r) => r.outcome === 'success')).toHaveLength(2);
      expect(opened[0]!.details).toMatchObject({ caseNumber: CASE, fileId: recording.id });
      expect((await auditRows(w.t, 'evidence.link.create'))[0]!.details).toMatchObject({
        caseNumber: CASE,
        officer: 'Ofc. R. Diaz #4471',
      });
      const custody = (await evidenceOf()).custody;
      expect(custody.filter((e) => e.action === 'opened')).toHaveLength(2);
      expect(custody.filter((e) => e.action === 'shared')).toHaveLength(1);
      expect(findCustodyBreak(custody)).toBeNull();

      w.t.clock.advance(24 * 3_600_000 + 1);
      // Signed in again after a day: a session of that morning.
      const officer = await w.t.user('officer');
      const late = await w.t.as(officer, 'POST', `/v1/evidence/links/${token}/open`);
      expect(late.statusCode).toBe(410);
      expect(late.json().message).toMatch(/^This evidence link expired on .*: ask the center/);
      const lateVideo = await w.t.as(officer, 'GET', `/v1/evidence/links/${token}/video`);
      expect(lateVideo.statusCode).toBe(410);
      const denied = (await auditRows(w.t, 'evidence.link.open')).filter(
        (r) => r.outcome === 'denied',
      );
      expect(denied).toHaveLength(1);
      expect(denied[0]!.details).toMatchObject({ caseNumber: CASE });
    });

    it('says so when revoked, refuses a lifetime past seven days, and a stranger token is 404', async () => {
      const analyst = await w.t.user('analyst');
      const tooLong = await w.t.as(analyst, 'POST', '/v1/evidence/links', {
        fileId: recording.id,
        officer: 'Ofc. Lee',
        hours: 169,
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.body).toContain('at most 168 hours');
      const made = (
        await w.t.as(analyst, 'POST', '/v1/evidence/links', {
          fileId: recording.id,
          officer: 'Ofc. Lee',
          hours: 2,
        })
      ).json();
      const revoked = await w.t.as(analyst, 'DELETE', `/v1/evidence/links/${made.id}`);
      expect(revoked.statusCode).toBe(200);
      const officer = await w.t.user('officer');
      const open = await w.t.as(officer, 'POST', `/v1/evidence/links/${made.token}/open`);
      expect(open.statusCode).toBe(410);
      expect(open.json().message).toMatch(/^This evidence link was revoked on /);
      const unknown = await w.t.as(officer, 'POST', `/v1/evidence/links/${'A'.repeat(43)}/open`);
      expect(unknown.statusCode).toBe(404);
    });
  });
});
