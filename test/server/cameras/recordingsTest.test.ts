import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools } from '../../../server/media/mediaTools';
import {
  parseFfmpegFileInfo,
  parseFfprobeFile,
  recordingsTestRange,
  testRecordings,
} from '../../../server/cameras/recordingsTest';
import type { RecordingsTestResult } from '../../../shared/api/cameraAdmin';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { startRecorder, type Recorder } from './recorderDouble';
import { agencyCamera, auditRows, countRows, createCamera } from './cameraFixtures';

/**
 * "Test recordings": the server fetches a recent minute from a recorder (a local HTTP server
 * that answers a real MP4 made with ffmpeg, behind Basic authentication) as a pull's fetch
 * would, probes it and takes one frame, keeping nothing.
 */

const USER = 'nvr-reader';
const PASSWORD = 'Nvr-Test-Pass-3141';
/** The size cap the test servers run with; the recorder's /huge answer is twice this. */
const MAX_BYTES = 256 * 1024;

let work: string;
let savedTmp: string | undefined;
let recorder: Recorder;
let base = '';
let closedPort = 0;

const template = (path: string) => `${base}${path}?start={start}&end={end}`;

/** What the recorder's temporary folders left behind (there must be none). */
async function leftovers(): Promise<string[]> {
  return (await readdir(work)).filter((n) => n.startsWith('wf-recordings-test-'));
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).map(String);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wf-rec-test-work-'));
  // The test's temporary folders go to a folder of this test's own, to be counted.
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = work;
  recorder = await startRecorder(work, { username: USER, password: PASSWORD }, MAX_BYTES * 2);
  base = recorder.base;
  // A port that was free a moment ago and is closed now: nothing answers there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
}, 120_000);

afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await recorder.close();
  await rm(work, { recursive: true, force: true });
});

describe.each(STORE_KINDS)('testing a recordings source on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { recordingMaxBytes: MAX_BYTES } });
    admin = await t.user('admin');
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });
  afterEach(async () => {
    expect(await leftovers()).toEqual([]);
    expect(await filesUnder(t.app.ctx.config.mediaDir)).toEqual([]);
  });

  const test = async (body: unknown) => {
    const res = await t.as(admin, 'POST', '/v1/cameras/test-recordings', body);
    for (const secret of [PASSWORD, USER, base, '127.0.0.1'])
      expect(res.body).not.toContain(secret);
    return res;
  };
  const typed = (path: string, password = PASSWORD) => ({
    recordings: { urlTemplate: template(path), username: USER, password },
  });

  it('fetches the minute that ended five minutes ago, probes it and answers a frame', async () => {
    recorder.asked.length = 0;
    const res = await test(typed('/clip.mp4'));
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as RecordingsTestResult;
    const range = recordingsTestRange(t.clock.now());
    expect(range.endMs - range.startMs).toBe(60_000);
    expect(t.clock.now() - range.endMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(result).toMatchObject({
      ok: true,
      reachable: true,
      httpStatus: '2xx',
      range: {
        start: new Date(range.startMs).toISOString(),
        end: new Date(range.endMs).toISOString(),
      },
      codec: 'h264',
      width: 160,
      height: 90,
      probe: findMediaTools().ffprobe ? 'ffprobe' : 'ffmpeg -i',
    });
    expect(result.bytes).toBeGreaterThan(1000);
    expect(result.container).toContain('mp4');
    expect(result.durationS).toBeCloseTo(1, 0);
    expect(result.message).toMatch(/^Footage came through/);
    // The recorder was asked for that range, to the second.
    expect(recorder.asked.at(-1)?.get('start')).toBe(result.range.start.replace('.000Z', 'Z'));
    expect(recorder.asked.at(-1)?.get('end')).toBe(result.range.end.replace('.000Z', 'Z'));
    // A JPEG starts FF D8.
    expect(Buffer.from(result.snapshotJpeg!, 'base64').subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xd8]),
    );
    const audit = await auditRows(t, 'camera.recordings.test');
    expect(audit.at(-1)).toMatchObject({
      outcome: 'success',
      details: { httpStatus: '2xx', codec: 'h264', bytes: result.bytes },
    });
  });

  it('says the recorder refused wrong credentials (4xx), without the address or the password', async () => {
    const res = await test(typed('/clip.mp4', 'Wrong-Pass-2718'));
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as RecordingsTestResult;
    expect(result).toMatchObject({
      ok: false,
      reachable: true,
      httpStatus: '4xx',
      bytes: 0,
      codec: null,
      snapshotJpeg: null,
      message: 'The recordings source refused the credentials.',
    });
    expect(res.body).not.toContain('Wrong-Pass-2718');
    const audit = await auditRows(t, 'camera.recordings.test');
    expect(audit.at(-1)).toMatchObject({ outcome: 'failure', details: { httpStatus: '4xx' } });
    expect(JSON.stringify(audit)).not.toContain('Wrong-Pass-2718');
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('says nothing answered when nothing listens', async () => {
    const res = await test({
      recordings: {
        urlTemplate: `http://127.0.0.1:${closedPort}/clip.mp4?s={start_unix}&e={end_unix}`,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(String(closedPort));
    expect(res.json()).toMatchObject({
      ok: false,
      reachable: false,
      httpStatus: null,
      bytes: 0,
      message: 'The recordings source is unreachable.',
    });
  });

  it('refuses a reply that is not video, one too large, and a redirect, keeping none of it', async () => {
    const page = (await test(typed('/page'))).json() as RecordingsTestResult;
    expect(page).toMatchObject({ ok: false, reachable: true, httpStatus: '2xx', bytes: 0 });
    expect(page.message).toBe('The recordings source answered text/html, not an MP4.');

    const huge = (await test(typed('/huge'))).json() as RecordingsTestResult;
    expect(huge).toMatchObject({ ok: false, reachable: true, httpStatus: '2xx', bytes: 0 });
    expect(huge.message).toBe(
      'The recordings source sent more than 256 KB, the most a recording may be.',
    );

    const moved = (await test(typed('/moved'))).json() as RecordingsTestResult;
    expect(moved).toMatchObject({ ok: false, reachable: true, httpStatus: '3xx' });
    expect(moved.message).toMatch(/redirected elsewhere/);
  });

  it('tests the source on file with its sealed credentials, also under an address typed without them', async () => {
    const cam = await createCamera(
      t,
      admin,
      agencyCamera({
        name: 'Depot NVR cam',
        recordings: { urlTemplate: template('/clip.mp4'), username: USER, password: PASSWORD },
      } as never),
    );
    const onFile = await test({ cameraId: cam.id });
    expect(onFile.statusCode, onFile.body).toBe(200);
    expect(onFile.json()).toMatchObject({ ok: true, codec: 'h264' });

    // The form left the credentials as they are: keepCredentials carries them to the address.
    const kept = await test({
      cameraId: cam.id,
      recordings: { urlTemplate: template('/clip.mp4'), keepCredentials: true },
    });
    expect(kept.json()).toMatchObject({ ok: true, httpStatus: '2xx' });

    const audit = await auditRows(t, 'camera.recordings.test');
    expect(audit.at(-1)).toMatchObject({ outcome: 'success', target_id: cam.id });
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('answers bad requests with a clear 4xx and changes nothing', async () => {
    const bare = await createCamera(t, admin, agencyCamera({ name: 'No recorder cam' } as never));
    const auditBefore = await countRows(t, 'audit_log');
    const eventsBefore = await countRows(t, 'events');
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /name a saved camera/],
      [{ recordings: { urlTemplate: `${base}/clip.mp4` } }, 400, /names the start/],
      [{ recordings: { urlTemplate: 'ftp://nvr.test/{start}/{end}' } }, 400, /http:\/\//],
      [
        { recordings: { urlTemplate: template('/clip.mp4'), keepCredentials: true } },
        400,
        /keepCredentials needs the cameraId/,
      ],
      [{ cameraId: '7d0c2f55-1c1e-4a8a-9d55-5b9b7f1e2a01' }, 404, /No camera/],
      [{ cameraId: bare.id }, 409, /has no recordings source on file to test/],
      [{ cameraId: bare.id, extra: 1 }, 400, /./],
    ];
    for (const [body, status, message] of cases) {
      const res = await test(body);
      expect(res.statusCode, res.body).toBe(status);
      const json = res.json() as { message: string; issues?: { message: string }[] };
      expect(`${json.message} ${(json.issues ?? []).map((i) => i.message).join(' ')}`).toMatch(
        message,
      );
    }
    expect(await countRows(t, 'audit_log')).toBe(auditBefore);
    expect(await countRows(t, 'events')).toBe(eventsBefore);
  });

  it('answers 403 to everyone but an admin', async () => {
    for (const role of ['analyst', 'supervisor', 'lieutenant', 'officer'] as const) {
      const user = await t.user(role);
      const res = await t.as(user, 'POST', '/v1/cameras/test-recordings', typed('/clip.mp4'));
      expect(res.statusCode, res.body).toBe(403);
    }
  });
});

describe('the recordings test without ffprobe', () => {
  it("reads container, codec, size and duration from ffmpeg's own summary", async () => {
    const tools = { ...findMediaTools(), ffprobe: null };
    const result = await testRecordings(
      tools,
      { urlTemplate: template('/clip.mp4'), username: USER, password: PASSWORD },
      { nowMs: Date.parse('2026-11-30T12:00:30.400Z'), maxBytes: MAX_BYTES, timeoutMs: 30_000 },
    );
    expect(result).toMatchObject({
      ok: true,
      probe: 'ffmpeg -i',
      codec: 'h264',
      width: 160,
      height: 90,
      range: { start: '2026-11-30T11:54:30.000Z', end: '2026-11-30T11:55:30.000Z' },
    });
    expect(result.container).toContain('mp4');
    expect(result.durationS).toBeCloseTo(1, 0);
    expect(result.snapshotJpeg).not.toBeNull();
    expect(await leftovers()).toEqual([]);
  });

  it('reads what the tools print about a file', () => {
    expect(
      parseFfprobeFile(
        '{"streams":[{"codec_name":"hevc","width":1920,"height":1080}],"format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"60.040000"}}',
      ),
    ).toEqual({
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      codec: 'hevc',
      durationS: 60.04,
      width: 1920,
      height: 1080,
    });
    expect(parseFfprobeFile('{"format":{"format_name":"mp3"}}')).toMatchObject({
      container: 'mp3',
      codec: null,
    });
    expect(
      parseFfmpegFileInfo(
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/tmp/x/ab/abcd':\n  Duration: 00:01:00.04, start: 0.000000, bitrate: 90 kb/s\n  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 320x180, 25 fps\n",
      ),
    ).toEqual({
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      codec: 'h264',
      durationS: 60.04,
      width: 320,
      height: 180,
    });
  });
});
