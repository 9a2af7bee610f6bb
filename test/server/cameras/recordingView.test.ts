import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamGrant } from '../../../shared/api/cameras';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { auditRows, createCamera, integratedCamera } from './cameraFixtures';
import { startRecorder, type Recorder } from './recorderDouble';

/**
 * Playing a camera's recordings on a tile, older than the console's replay buffer
 * (docs/console.md, "Replay in clock time"): under one's own recordings grant, the server asks the
 * camera's recorder (a local HTTP server answering a real MP4 behind Basic authentication) for
 * the range and passes the MP4 on, never keeping it; every stretch played is audited with it.
 */

const USER = 'nvr-viewer';
const PASSWORD = 'Nvr-View-Pass-2718';
const MAX_BYTES = 256 * 1024;
const REASON = { code: 'active_incident', reference: '2026-004321' } as const;

let work: string;
let recorder: Recorder;
let base = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wf-rec-view-'));
  recorder = await startRecorder(work, { username: USER, password: PASSWORD }, MAX_BYTES * 4);
  base = recorder.base;
}, 120_000);

afterAll(async () => {
  await recorder.close();
  await rm(work, { recursive: true, force: true });
});

describe.each(STORE_KINDS)('recordings played on a tile, on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { recordingMaxBytes: MAX_BYTES } });
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    other = await t.user('analyst', 'second-analyst');
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  async function cameraWith(path: string, name: string, recordings = true) {
    return createCamera(
      t,
      admin,
      integratedCamera(
        { recordings },
        {
          name,
          recordings: {
            urlTemplate: `${base}${path}?start={start}&end={end}`,
            username: USER,
            password: PASSWORD,
          },
        },
      ),
    );
  }

  async function grant(user: TestUser, cameraId: string, access = 'recordings') {
    const res = await t.as(user, 'POST', `/v1/cameras/${cameraId}/grants`, {
      reason: REASON,
      access,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StreamGrant;
  }

  /** Five minutes ago, for a minute, to the second: recorded, older than any replay buffer. */
  const minuteAgo = () => {
    const end = Math.floor(t.clock.now() / 1000) * 1000 - 5 * 60_000;
    return { start: new Date(end - 60_000).toISOString(), end: new Date(end).toISOString() };
  };
  const play = (user: TestUser, grantId: string, range: { start: string; end: string }) =>
    t.as(user, 'GET', `/v1/grants/${grantId}/recording?${new URLSearchParams(range).toString()}`);

  it('passes the recorder’s MP4 for the range on, and audits the range under the grant', async () => {
    const camera = await cameraWith('/clip.mp4', 'Recorded lot');
    const g = await grant(analyst, camera.id);
    const range = minuteAgo();
    recorder.asked.length = 0;
    const res = await play(analyst, g.grantId, range);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.equals(recorder.mp4)).toBe(true);
    expect(recorder.asked.at(-1)?.get('start')).toBe(range.start.replace('.000Z', 'Z'));
    expect(recorder.asked.at(-1)?.get('end')).toBe(range.end.replace('.000Z', 'Z'));
    const audit = await auditRows(t, 'camera.recording_view');
    expect(audit.at(-1)).toMatchObject({
      outcome: 'success',
      target_id: camera.id,
      details: { grantId: g.grantId, start: range.start, end: range.end },
    });
    // Nothing of the recorder's address or credentials in the answer or the trail.
    for (const secret of [PASSWORD, USER, base]) {
      expect(JSON.stringify(audit)).not.toContain(secret);
    }
  });

  it('refuses a live grant, another user’s grant, a future or too long range, and bad times', async () => {
    const camera = await cameraWith('/clip.mp4', 'Guarded lot');
    const live = await grant(analyst, camera.id, 'live');
    const mine = await grant(analyst, camera.id);
    const before = (await auditRows(t, 'camera.recording_view')).length;

    const notRecordings = await play(analyst, live.grantId, minuteAgo());
    expect(notRecordings.statusCode).toBe(409);
    expect(notRecordings.body).toContain('not one');
    expect((await play(other, mine.grantId, minuteAgo())).statusCode).toBe(403);
    const future = new Date(t.clock.now() + 10 * 60_000).toISOString();
    const ahead = await play(analyst, mine.grantId, {
      start: new Date(t.clock.now()).toISOString(),
      end: future,
    });
    expect(ahead.statusCode).toBe(409);
    expect(ahead.body).toContain('future');
    const now = t.clock.now() - 60 * 60_000;
    const long = await play(analyst, mine.grantId, {
      start: new Date(now).toISOString(),
      end: new Date(now + 16 * 60_000).toISOString(),
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('15 minutes');
    const backwards = await play(analyst, mine.grantId, {
      start: minuteAgo().end,
      end: minuteAgo().start,
    });
    expect(backwards.statusCode).toBe(400);
    const garbled = await t.as(
      analyst,
      'GET',
      `/v1/grants/${mine.grantId}/recording?start=yesterday&end=now`,
    );
    expect(garbled.statusCode).toBe(400);
    expect((await play(analyst, 'not-a-grant', minuteAgo())).statusCode).toBe(400);
    // Refused before the policy was asked: no stretch was played, none audited.
    expect((await auditRows(t, 'camera.recording_view')).length).toBe(before);
  });

  it('says so when the recorder answers something that is not an MP4', async () => {
    const camera = await cameraWith('/page', 'Login page lot');
    const g = await grant(analyst, camera.id);
    const res = await play(analyst, g.grantId, minuteAgo());
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('not an MP4');
    expect(res.body).not.toContain(base);
  });

  it('cuts a recorder off that sends more than the largest recording', async () => {
    const camera = await cameraWith('/huge', 'Huge lot');
    const g = await grant(analyst, camera.id);
    const res = await play(analyst, g.grantId, minuteAgo()).catch(() => null);
    // The answer stops short (or fails outright): never the recorder's whole reply.
    const length = res === null ? 0 : res.rawPayload.length;
    expect(length).toBeLessThanOrEqual(MAX_BYTES);
  });
});
