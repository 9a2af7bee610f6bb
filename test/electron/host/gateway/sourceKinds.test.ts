import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoxSplitter, parseInit, type InitInfo } from '../../../../electron/host/gateway/fmp4Boxes';
import type { SourceDescriptor } from '../../../../shared/domain/cameras';
import { encodeClip, loopArgs } from '../fixtures/clips';
import {
  startGateway,
  startTestSimulator,
  waitForState,
  type GatewayHarness,
} from '../fixtures/harness';
import { startLoopServer, type LoopServer } from '../fixtures/loopServer';
import { parsePlaylist } from '../fixtures/playlist';
import { eventually, ffmpegChildren } from '../fixtures/processes';
import { startRtspCamera, type RtspCamera } from '../fixtures/rtspCamera';

const RTSP_USER = 'installer';
const RTSP_PASSWORD = 'c@m:pa/ss-7731';

let dir: string;
let h: GatewayHarness;
let baseline: number;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  baseline = ffmpegChildren().length;
  dir = await mkdtemp(join(tmpdir(), 'wf-kinds-'));
  h = await startGateway();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await h.close();
  await rm(dir, { recursive: true, force: true });
  expect(await eventually(() => ffmpegChildren().length === baseline, 5000)).toBe(true);
});

/** Opens a source, waits until it is live, and reads the init segment it serves. */
async function liveInit(
  key: string,
  source: SourceDescriptor,
  variant: 'main' | 'sub' = 'main',
): Promise<{ mediaId: string; init: InitInfo }> {
  const { mediaId, playlistPath } = h.gateway.open(key, source, variant, 'viewer');
  await waitForState(h.gateway, mediaId, (s) => s.kind === 'live', 20_000);
  const playlist = await (await fetch(h.url(playlistPath))).text();
  const { manifest } = parsePlaylist(playlist);
  const mapUri = manifest.segments[0]?.map?.uri ?? manifest.preloadSegment?.map?.uri;
  const bytes = Buffer.from(await (await fetch(h.url(`${mediaId}/${mapUri}`))).arrayBuffer());
  const moov = new BoxSplitter().push(bytes).find((b) => b.type === 'moov')!;
  return { mediaId, init: parseInit(moov) };
}

describe('source kinds', () => {
  let rtsp: RtspCamera;

  beforeAll(async () => {
    const clip = await encodeClip(dir, 'rtsp.ts', {
      size: '320x240',
      seconds: 20,
      codec: 'libx264',
    });
    rtsp = await startRtspCamera(clip, RTSP_USER, RTSP_PASSWORD);
    cleanups.push(() => rtsp.close());
  });

  it('remuxes H.264 from an RTSP camera over TCP with credentials', async () => {
    const { mediaId, init } = await liveInit('rtsp-cam', {
      protocol: 'rtsp',
      url: rtsp.url,
      username: RTSP_USER,
      password: RTSP_PASSWORD,
      codecHint: 'h264',
      ptz: false,
    });
    expect(init).toMatchObject({ codec: 'avc1', width: 320, height: 240 });
    expect(h.logs.text).toContain('"transcode":false');
    h.gateway.release(mediaId, 'viewer');
  });

  it('fails with a clear reason when the camera refuses the credentials, and never logs them', async () => {
    const wrong = 'not-the-password-5521';
    const { mediaId } = h.gateway.open(
      'rtsp-wrong',
      {
        protocol: 'rtsp',
        url: rtsp.url,
        username: RTSP_USER,
        password: wrong,
        codecHint: 'h264',
        ptz: false,
      },
      'main',
      'viewer',
    );
    const failed = await waitForState(h.gateway, mediaId, (s) => s.kind === 'failed', 20_000);
    expect(failed).toEqual({ kind: 'failed', reason: 'the camera refused the credentials' });
    expect(h.logs.text).toContain('401');
    for (const secret of [wrong, RTSP_PASSWORD, encodeURIComponent(RTSP_PASSWORD)]) {
      expect(h.logs.text).not.toContain(secret);
    }
    expect((await fetch(h.url(`${mediaId}/live.m3u8`))).status).toBe(410);
  });

  it('transcodes H.265 to H.264 when the hint says nothing', async () => {
    const clip = await encodeClip(dir, 'hevc.ts', {
      size: '160x120',
      seconds: 3,
      codec: 'libx265',
    });
    const camera: LoopServer = await startLoopServer(loopArgs(clip), 'video/mp2t');
    cleanups.push(() => camera.close());
    const { mediaId, init } = await liveInit('hevc-cam', {
      protocol: 'http-ts',
      url: camera.url,
      codecHint: 'unknown',
      ptz: false,
    });
    expect(init).toMatchObject({ codec: 'avc1', width: 160, height: 120 });
    // First pull found hev1/hvc1 in the copy, second pull transcodes.
    expect(camera.requests).toBe(2);
    h.gateway.release(mediaId, 'viewer');
  });

  it('transcodes MJPEG over HTTP to H.264', async () => {
    const camera = await startLoopServer(
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=160x120:rate=10',
        '-c:v',
        'mjpeg',
        '-q:v',
        '6',
        '-f',
        'mpjpeg',
        'pipe:1',
      ],
      'multipart/x-mixed-replace;boundary=ffmpeg',
    );
    cleanups.push(() => camera.close());
    const { mediaId, init } = await liveInit('mjpeg-cam', {
      protocol: 'mjpeg',
      url: camera.url,
      codecHint: 'mjpeg',
      ptz: false,
    });
    expect(init).toMatchObject({ codec: 'avc1', width: 160, height: 120 });
    h.gateway.release(mediaId, 'viewer');
  });

  it('scales a substream for a small tile only when the camera offers none', async () => {
    const clip = await encodeClip(dir, 'vga.ts', {
      size: '640x480',
      seconds: 3,
      codec: 'libx264',
      fps: 15,
    });
    const camera = await startLoopServer(loopArgs(clip), 'video/mp2t');
    cleanups.push(() => camera.close());
    const scaled = await liveInit(
      'vga-cam',
      { protocol: 'http-ts', url: camera.url, codecHint: 'h264', ptz: false },
      'sub',
    );
    expect(scaled.init).toMatchObject({ codec: 'avc1', width: 480, height: 360 });
    h.gateway.release(scaled.mediaId, 'viewer');

    const simDir = await mkdtemp(join(tmpdir(), 'wf-sim-kinds-'));
    const simulator = await startTestSimulator(simDir);
    cleanups.push(async () => {
      await simulator.stop();
      await rm(simDir, { recursive: true, force: true });
    });
    const offered = await liveInit(
      'sim-cam',
      {
        protocol: 'http-ts',
        url: simulator.urlFor('Dock Road'),
        substreamUrl: simulator.urlFor('Dock Road', 'sub'),
        codecHint: 'h264',
        ptz: false,
      },
      'sub',
    );
    // The camera's own 160x120 substream, copied.
    expect(offered.init).toMatchObject({ codec: 'avc1', width: 160, height: 120 });
    h.gateway.release(offered.mediaId, 'viewer');
  });
});
