import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveFfmpegPath } from '../../../electron/host/gateway/ffmpegPath';
import { runFfmpegJob } from '../../../electron/host/gateway/ffmpegRun';

/**
 * A camera's recorder for tests: a local HTTP server behind Basic authentication that answers a
 * real one-second MP4 (made with ffmpeg) for any range at `/clip.mp4`, a login page at `/page`,
 * `size` bytes of video at `/huge`, and a redirect elsewhere at `/moved`. It keeps the query of
 * every request, to check the range it was asked for.
 */
export interface Recorder {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly mp4: Buffer;
  /** The query strings it was asked for, in order. */
  readonly asked: URLSearchParams[];
  close(): Promise<void>;
}

async function makeMp4(dir: string): Promise<Buffer> {
  const file = join(dir, 'clip.mp4');
  const result = await runFfmpegJob(resolveFfmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
    ...['-i', 'testsrc2=size=160x90:rate=25', '-t', '1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-movflags', '+faststart', '-y', file],
  ]);
  if (result.code !== 0) throw new Error(result.stderr);
  return readFile(file);
}

export async function startRecorder(
  dir: string,
  credentials: { readonly username: string; readonly password: string },
  hugeBytes: number,
): Promise<Recorder> {
  const mp4 = await makeMp4(dir);
  const asked: URLSearchParams[] = [];
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://recorder');
    asked.push(url.searchParams);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="nvr"' }).end();
    } else if (url.pathname === '/clip.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' }).end(mp4);
    } else if (url.pathname === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Recorder login</h1>');
    } else if (url.pathname === '/huge') {
      res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.alloc(hugeBytes, 7));
    } else if (url.pathname === '/moved') {
      res.writeHead(302, { location: 'http://elsewhere.example.test/clip.mp4' }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mp4,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
