import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeClip } from '../../electron/host/fixtures/clips';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { createCamera, agencyCamera, auditRows } from './cameraFixtures';
import { findMediaTools } from '../../../server/media/mediaTools';
import { parseFfmpegInfo, parseFfprobe, testSource } from '../../../server/cameras/sourceTest';
import type { SourceTestResult } from '../../../shared/api/cameraAdmin';

/**
 * "Test source": the server takes one frame with ffmpeg from a camera that wants credentials
 * (an HTTP MPEG-TS camera here, with Basic authentication) and names its codec.
 */

const USER = 'viewer';
const PASSWORD = 'Snap-Pass-4410';

let dir: string;
let camera: Server;
let cameraUrl = '';
let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-source-test-'));
  const clip = await encodeClip(dir, 'cam.ts', { size: '320x180', seconds: 2, codec: 'libx264' });
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  camera = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="cam"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'video/mp2t' });
    createReadStream(clip).pipe(res);
  });
  await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
  cameraUrl = `http://127.0.0.1:${(camera.address() as AddressInfo).port}/cam.ts`;
  t = await startTestApp('pglite');
  admin = await t.user('admin');
}, 120_000);

afterAll(async () => {
  await t.close();
  await new Promise((resolve) => camera.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('testing a source', () => {
  it('takes a snapshot of a saved camera with its sealed credentials and names the codec with ffprobe', async () => {
    const cam = await createCamera(
      t,
      admin,
      agencyCamera({
        name: 'Snapshot cam',
        source: {
          protocol: 'http-ts',
          url: cameraUrl,
          username: USER,
          password: PASSWORD,
          ptz: false,
        },
      } as never),
    );
    const res = await t.as(admin, 'POST', '/v1/cameras/test-source', { cameraId: cam.id });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as SourceTestResult;
    expect(result).toMatchObject({ ok: true, codec: 'h264', width: 320, height: 180 });
    expect(result.probe).toBe(findMediaTools().ffprobe ? 'ffprobe' : 'ffmpeg -i');
    // A JPEG starts FF D8.
    expect(Buffer.from(result.snapshotJpeg!, 'base64').subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xd8]),
    );
    expect(res.body).not.toContain(PASSWORD);
  }, 60_000);

  it('says the camera refused the credentials, without the address or the password', async () => {
    const res = await t.as(admin, 'POST', '/v1/cameras/test-source', {
      source: { protocol: 'http-ts', url: cameraUrl, username: USER, password: 'Wrong-Pass-1' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as SourceTestResult;
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the credentials/);
    for (const secret of ['Wrong-Pass-1', cameraUrl, '127.0.0.1'])
      expect(res.body).not.toContain(secret);
    const audit = await auditRows(t, 'camera.source.test');
    expect(audit.map((a) => a.outcome)).toEqual(['success', 'failure']);
    expect(JSON.stringify(audit)).not.toContain('Wrong-Pass-1');
  }, 60_000);

  it("reads the codec from ffmpeg's own summary when no ffprobe is installed", async () => {
    const tools = { ...findMediaTools(), ffprobe: null };
    const result = await testSource(tools, {
      protocol: 'http-ts',
      url: cameraUrl,
      username: USER,
      password: PASSWORD,
      codecHint: 'unknown',
      ptz: false,
    });
    expect(result).toMatchObject({ ok: true, probe: 'ffmpeg -i', codec: 'h264', width: 320 });
  }, 60_000);
});

describe('reading what the tools print', () => {
  it('ffprobe JSON and the ffmpeg -i summary', () => {
    expect(parseFfprobe('{"streams":[{"codec_name":"hevc","width":1920,"height":1080}]}')).toEqual({
      codec: 'hevc',
      width: 1920,
      height: 1080,
    });
    expect(parseFfprobe('not json')).toEqual({ codec: null, width: null, height: null });
    expect(
      parseFfmpegInfo(
        '  Stream #0:0[0x100]: Video: h264 (High) ([27][0][0][0] / 0x001B), yuv420p(progressive), 320x180 [SAR 1:1 DAR 16:9], 25 fps\n',
      ),
    ).toEqual({ codec: 'h264', width: 320, height: 180 });
  });
});
