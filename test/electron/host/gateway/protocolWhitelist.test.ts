import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFfmpeg, PROTOCOL_WHITELISTS } from '../../../../electron/host/gateway/ffmpegArgs';
import { SOURCE_PROTOCOLS, type SourceDescriptor } from '../../../../shared/domain/cameras';
import { encodeClip } from '../fixtures/clips';
import { startGateway, waitForState, type GatewayHarness } from '../fixtures/harness';
import { eventually, ffmpegChildren } from '../fixtures/processes';

/** ffmpeg opens only the protocols a source's kind needs (docs/video.md). */

describe('the protocols ffmpeg may open', () => {
  it('names a whitelist for every kind of source, before the input, never with file', () => {
    for (const protocol of SOURCE_PROTOCOLS) {
      const { args } = planFfmpeg(
        { protocol, url: 'http://127.0.0.1:1/x', codecHint: 'h264', ptz: false },
        'main',
      );
      const at = args.indexOf('-protocol_whitelist');
      expect(at, protocol).toBeGreaterThan(-1);
      expect(at).toBeLessThan(args.indexOf('-i'));
      expect(args[at + 1]).toBe(PROTOCOL_WHITELISTS[protocol]);
      expect(args[at + 1]!.split(',')).not.toContain('file');
    }
  });
});

describe('an HLS source whose playlist names a file', () => {
  let dir: string;
  let h: GatewayHarness;
  let camera: Server;
  let origin = '';
  let clip = '';
  const requested: string[] = [];
  let baseline = 0;

  beforeAll(async () => {
    baseline = ffmpegChildren().length;
    dir = await mkdtemp(join(tmpdir(), 'wf-whitelist-'));
    clip = await encodeClip(dir, 'seg.ts', { size: '320x180', seconds: 2, codec: 'libx264' });
    const segment = await readFile(clip);
    camera = createServer((req, res) => {
      requested.push(req.url ?? '');
      const playlist = (uri: string) =>
        [
          '#EXTM3U',
          '#EXT-X-VERSION:3',
          '#EXT-X-TARGETDURATION:2',
          '#EXT-X-MEDIA-SEQUENCE:0',
          '#EXTINF:2.0,',
          uri,
          '#EXT-X-ENDLIST',
          '',
        ].join('\n');
      if (req.url === '/file.m3u8') res.end(playlist(`file://${clip}`));
      else if (req.url === '/own.m3u8') res.end(playlist(`${origin}/seg.ts`));
      else if (req.url === '/seg.ts') res.end(segment);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(camera.address() as AddressInfo).port}`;
    h = await startGateway();
  });

  afterAll(async () => {
    await h.close();
    camera.closeAllConnections();
    await new Promise<void>((resolve) => camera.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
    expect(await eventually(() => ffmpegChildren().length === baseline, 5000)).toBe(true);
  });

  const hls = (path: string): SourceDescriptor => ({
    protocol: 'hls',
    url: `${origin}${path}`,
    codecHint: 'h264',
    ptz: false,
  });

  it('plays a segment on the camera, and refuses to read one from the disk', async () => {
    const own = h.gateway.open('own', hls('/own.m3u8'), 'main', 'viewer');
    await waitForState(h.gateway, own.mediaId, (s) => s.kind === 'live', 20_000);
    expect(requested).toContain('/seg.ts');
    h.gateway.release(own.mediaId, 'viewer');

    const file = h.gateway.open('file', hls('/file.m3u8'), 'main', 'viewer');
    const first = await waitForState(h.gateway, file.mediaId, (s) => s.kind !== 'starting', 20_000);
    expect(first.kind).not.toBe('live');
    // Refused by the source kind's own list (ffmpeg's default for nested opens of an http input
    // also lets through udp, rtp, httpproxy and data).
    expect(h.logs.text).toMatch(/Protocol 'file' not on whitelist 'http,https,tcp,tls,crypto'/);
    h.gateway.release(file.mediaId, 'viewer');
  });
});
