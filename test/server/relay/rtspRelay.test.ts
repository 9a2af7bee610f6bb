import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamGrant } from '../../../shared/api/cameras';
import { encodeClip } from '../../electron/host/fixtures/clips';
import { eventually, ffmpegChildren } from '../../electron/host/fixtures/processes';
import { startRtspCamera, type RtspCamera } from '../../electron/host/fixtures/rtspCamera';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { createCamera, integratedCamera } from '../cameras/cameraFixtures';

/**
 * An RTSP camera through the server's relay: the server's ffmpeg pulls it with the credentials on
 * file and copies its video into MPEG-TS over HTTP; the workstation never sees the camera.
 */

const USER = 'installer';
const PASSWORD = 'c@m:pa/ss-7731';
const REASON = { code: 'active_incident', reference: 'INC-2026-0042' } as const;

let dir: string;
let rtsp: RtspCamera;
let t: TestApp;
let admin: TestUser;
let analyst: TestUser;
let rtcc = '';
let baseline = 0;
const logLines: string[] = [];

beforeAll(async () => {
  baseline = ffmpegChildren().length;
  dir = await mkdtemp(join(tmpdir(), 'wf-rtsp-relay-'));
  const clip = await encodeClip(dir, 'rtsp.ts', {
    size: '320x180',
    seconds: 4,
    codec: 'libx264',
  });
  rtsp = await startRtspCamera(clip, USER, PASSWORD);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  t = await startTestApp('pglite', { logger: pino({ level: 'debug' }, sink) });
  await t.app.api.listen({ host: '127.0.0.1', port: 0 });
  rtcc = `http://127.0.0.1:${(t.app.api.server.address() as AddressInfo).port}`;
  admin = await t.user('admin');
  analyst = await t.user('analyst');
});

afterAll(async () => {
  await t.close();
  await rtsp.close();
  await rm(dir, { recursive: true, force: true });
});

async function grantOn(name: string, password: string): Promise<StreamGrant> {
  const camera = await createCamera(
    t,
    admin,
    integratedCamera({}, {
      name,
      source: { protocol: 'rtsp', url: rtsp.url, username: USER, password, ptz: false },
    } as never),
  );
  const res = await t.as(analyst, 'POST', `/v1/cameras/${camera.id}/grants`, {
    reason: REASON,
    access: 'live',
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as StreamGrant;
}

function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).once('error', reject));
}

describe('an RTSP camera through the relay', () => {
  it('arrives as MPEG-TS, and its ffmpeg ends when the grant does', async () => {
    const grant = await grantOn('Loading dock', PASSWORD);
    expect(grant.source.protocol).toBe('http-ts');
    const res = await open(rtcc + grant.source.path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp2t');
    const first = await new Promise<Buffer>((resolve) => res.once('data', resolve));
    expect(first[0]).toBe(0x47);
    const ended = new Promise<void>((resolve) => res.once('close', () => resolve()));
    res.on('error', () => undefined);
    res.resume();

    expect((await t.as(analyst, 'DELETE', `/v1/grants/${grant.grantId}`)).statusCode).toBe(200);
    await ended;
    expect(await eventually(() => ffmpegChildren().length === baseline, 5000)).toBe(true);
  });

  it('says the camera refused the credentials on file, and logs none of them', async () => {
    const grant = await grantOn('Side gate', 'not-the-password');
    const res = await open(rtcc + grant.source.path);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    expect(res.statusCode).toBe(502);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: string };
    expect(body.message).toMatch(/refused the credentials on file/);
    const logs = logLines.join('');
    // The failure is logged (ffmpeg's stderr redacted), without the secrets.
    expect(logs).toMatch(/camera pull failed/);
    for (const secret of [PASSWORD, 'not-the-password', encodeURIComponent(PASSWORD)]) {
      expect(logs).not.toContain(secret);
    }
    expect(await eventually(() => ffmpegChildren().length === baseline, 5000)).toBe(true);
  });
});
