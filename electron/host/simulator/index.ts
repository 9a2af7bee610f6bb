import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { resolveFfmpegPath } from '../gateway/ffmpegPath';
import { endChild, trackChild } from '../gateway/processRegistry';
import { ensureClip, findDrawtextFont, type ClipSpec } from './clipEncoder';
import { PLATE_PATH, plateImage } from './plateImages';
import { encodeRecording, MAX_RECORDING_SECONDS } from './recordingClip';
import { TsBroadcast, type TsSubscriber } from './tsBroadcast';
import { PtzCommandSchema } from '../../../shared/api/cameras';
import {
  cropCommands,
  cropFilter,
  homeWindow,
  nextPtzWindow,
  type PictureSize,
  type PtzWindow,
} from './ptzWindow';

/**
 * The demo cameras: serves each demo camera as a live HTTP MPEG-TS stream (as many encoders do),
 * so the embedded demo site has live video without camera hardware.
 *
 * Each camera's clip is encoded once into the data folder (testsrc2 with the camera's name and a
 * running clock; 1280x720 main and 640x360 substream; GOP of one second) and then looped with
 * `-re -stream_loop -1 -c copy`: serving costs no encoding, however many viewers. A camera's loop
 * starts on its first pull and stops when nobody has pulled it for `idleMs`.
 *
 *   GET /cameras/<slug>.ts       main stream
 *   GET /cameras/<slug>.sub.ts   substream
 *   GET /plates/<PLATE>.jpg      a demo LPR reader's plate image (plateImages.ts)
 *   GET /ptz/<slug>.ts, /ptz/<slug>.sub.ts
 *                                the camera as a PTZ camera: a window over its main picture,
 *                                encoded live (ptzWindow.ts; docs/ptz.md)
 *   POST /ptz/<slug>             {"command": "left"}: moves that window, as a PTZ camera's
 *                                control endpoint takes a command
 *   GET /recordings/<slug>.mp4?start=<ISO>&end=<ISO>
 *                                the camera's recording of that span (recordingClip.ts), as an
 *                                NVR answers it; the server asks only for what the owner shares
 */

export type SimulatedVariant = 'main' | 'sub';

export interface CameraSimulatorOptions {
  readonly dataDir: string;
  readonly ffmpegPath?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly logger?: Logger;
  /** Cameras whose clips are encoded at start rather than on first pull. */
  readonly cameras?: readonly string[];
  readonly mainSize?: { readonly width: number; readonly height: number };
  readonly subSize?: { readonly width: number; readonly height: number };
  readonly fps?: number;
  readonly clipSeconds?: number;
  readonly gopSeconds?: number;
  readonly idleMs?: number;
}

interface LiveSource {
  /** A PTZ camera's stream: the slug whose window it shows, and the size it is scaled to. */
  readonly ptz?: { readonly slug: string; readonly out: PictureSize };
  readonly broadcast: TsBroadcast;
  child: ChildProcess | null;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

/** How many distinct cameras the simulator will make clips for. */
const MAX_ADOPTED_CAMERAS = 2000;

/** Per-client buffered bytes beyond which a slow client is dropped rather than buffered forever. */
const MAX_CLIENT_BACKLOG = 8 * 1024 * 1024;

export function cameraSlug(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${base || 'camera'}-${hash}`;
}

export class CameraSimulator {
  private readonly ffmpegPath: string;
  private readonly log: Logger;
  private readonly names = new Map<string, string>();
  private readonly sources = new Map<string, LiveSource>();
  private readonly sockets = new Set<Socket>();
  /** Where each PTZ camera looks, by slug; both of its streams show the same window. */
  private readonly ptzWindows = new Map<string, PtzWindow>();
  private server: Server | null = null;
  private font: string | null = null;
  private origin = '';
  private stopped = false;

  constructor(private readonly options: CameraSimulatorOptions) {
    this.ffmpegPath = options.ffmpegPath ?? resolveFfmpegPath();
    this.log = (options.logger ?? pino({ level: 'silent' })).child({
      component: 'camera-simulator',
    });
    for (const name of options.cameras ?? []) this.names.set(cameraSlug(name), name);
  }

  async start(): Promise<void> {
    this.font = await findDrawtextFont(this.ffmpegPath);
    if (!this.font) this.log.warn('no drawtext or font: clips carry no burned-in name or clock');
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // Encode the known cameras' clips one after another, in the background.
    void (async () => {
      for (const name of this.options.cameras ?? []) {
        if (this.stopped) return;
        for (const variant of ['main', 'sub'] as const) {
          await this.clipFor(name, variant).catch((error: unknown) => {
            this.log.error({ err: String(error), camera: name }, 'demo clip encoding failed');
          });
        }
      }
    })();
  }

  /** The camera's live HTTP MPEG-TS URL (registers the camera if it was not named at start). */
  urlFor(cameraName: string, variant: SimulatedVariant = 'main'): string {
    if (!this.server) throw new Error('the camera simulator is not started');
    const slug = cameraSlug(cameraName);
    this.names.set(slug, cameraName);
    return `${this.origin}/cameras/${slug}${variant === 'sub' ? '.sub' : ''}.ts`;
  }

  /** Encodes (once) the clips of the named cameras; resolves when they exist. */
  async prepare(cameraNames: readonly string[]): Promise<void> {
    for (const name of cameraNames) {
      this.names.set(cameraSlug(name), name);
      await this.clipFor(name, 'main');
      await this.clipFor(name, 'sub');
    }
  }

  /** The PTZ camera's live URL and its control URL (registers the camera as `urlFor` does). */
  ptzUrlsFor(cameraName: string): { url: string; substreamUrl: string; ptzUrl: string } {
    if (!this.server) throw new Error('the camera simulator is not started');
    const slug = cameraSlug(cameraName);
    this.names.set(slug, cameraName);
    return {
      url: `${this.origin}/ptz/${slug}.ts`,
      substreamUrl: `${this.origin}/ptz/${slug}.sub.ts`,
      ptzUrl: `${this.origin}/ptz/${slug}`,
    };
  }

  /** Where a PTZ camera looks now, in pixels of its main picture (tests). */
  ptzWindowOf(cameraName: string): PtzWindow {
    return this.ptzWindows.get(cameraSlug(cameraName)) ?? homeWindow(this.mainSize());
  }

  /** ffmpeg processes currently looping a camera (tests and benchmarks). */
  runningPids(): number[] {
    return [...this.sources.values()].flatMap((s) => (s.child?.pid ? [s.child.pid] : []));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const ending: Promise<void>[] = [];
    for (const source of this.sources.values()) {
      if (source.idleTimer) clearTimeout(source.idleTimer);
      if (source.child) ending.push(endChild(source.child, 500));
      source.child = null;
    }
    this.sources.clear();
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of this.sockets) socket.destroy();
      });
    }
    await Promise.all(ending);
  }

  /**
   * A slug nobody registered: a camera that the demo site seeded with its own URL. It is served
   * under a name read back from the slug ("corner-market-12" shows "Corner Market 12"), up to a
   * bound so that a stream of made-up URLs cannot fill the disk with clips.
   */
  private adopt(slug: string): string | undefined {
    if (this.names.size >= MAX_ADOPTED_CAMERAS) return undefined;
    const name = slug
      .split('-')
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ');
    this.names.set(slug, name);
    return name;
  }

  private mainSize(): PictureSize {
    return this.options.mainSize ?? { width: 1280, height: 720 };
  }

  private sizeOf(variant: SimulatedVariant): PictureSize {
    return variant === 'main'
      ? this.mainSize()
      : (this.options.subSize ?? { width: 640, height: 360 });
  }

  private clipFor(name: string, variant: SimulatedVariant): Promise<string> {
    const size = this.sizeOf(variant);
    const spec: ClipSpec = {
      name,
      width: size.width,
      height: size.height,
      fps: this.options.fps ?? 25,
      seconds: this.options.clipSeconds ?? 6,
      gopSeconds: this.options.gopSeconds ?? 1,
    };
    return ensureClip(this.ffmpegPath, join(this.options.dataDir, 'clips'), spec, this.font);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const plate = PLATE_PATH.exec(req.url ?? '');
    if (req.method === 'GET' && plate) {
      plateImage(this.ffmpegPath, join(this.options.dataDir, 'plates'), plate[1]!, this.font).then(
        (bytes) =>
          res
            .writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length })
            .end(bytes),
        (error: unknown) => {
          this.log.error({ err: String(error) }, 'demo plate image unavailable');
          res.writeHead(503, { 'content-type': 'text/plain' }).end('plate image unavailable\n');
        },
      );
      return;
    }
    if (req.method === 'GET' && (req.url ?? '').startsWith('/recordings/')) {
      this.serveRecording(req.url ?? '', res);
      return;
    }
    if ((req.url ?? '').startsWith('/ptz/')) {
      this.handlePtz(req, res);
      return;
    }
    const match = /^\/cameras\/([a-z0-9-]{1,60})(\.sub)?\.ts$/.exec(req.url ?? '');
    const name = match ? (this.names.get(match[1]!) ?? this.adopt(match[1]!)) : undefined;
    if (req.method !== 'GET' || !match || !name) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such camera\n');
      return;
    }
    const variant: SimulatedVariant = match[2] ? 'sub' : 'main';
    this.clipFor(name, variant).then(
      (clip) => this.attach(`${match[1]}${match[2] ?? ''}`, clip, res),
      (error: unknown) => {
        this.log.error({ err: String(error) }, 'demo clip unavailable');
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('the demo clip could not be made\n');
      },
    );
  }

  private handlePtz(req: IncomingMessage, res: ServerResponse): void {
    const plain = { 'content-type': 'text/plain' };
    const stream = /^\/ptz\/([a-z0-9-]{1,60})(\.sub)?\.ts$/.exec(req.url ?? '');
    const control = /^\/ptz\/([a-z0-9-]{1,60})$/.exec(req.url ?? '');
    const slug = (stream ?? control)?.[1];
    const name = slug ? (this.names.get(slug) ?? this.adopt(slug)) : undefined;
    if (!slug || !name || (stream && req.method !== 'GET') || (control && req.method !== 'POST')) {
      res.writeHead(404, plain).end('no such camera\n');
      return;
    }
    if (stream) {
      const variant: SimulatedVariant = stream[2] ? 'sub' : 'main';
      this.clipFor(name, 'main').then(
        (clip) =>
          this.attach(`ptz:${slug}${stream[2] ?? ''}`, clip, res, {
            slug,
            out: this.sizeOf(variant),
          }),
        () => {
          if (!res.headersSent) res.writeHead(503, plain);
          res.end('the demo clip could not be made\n');
        },
      );
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 1024) req.destroy();
    });
    req.on('end', () => {
      let command;
      try {
        command = PtzCommandSchema.safeParse((JSON.parse(body) as { command?: unknown }).command);
      } catch {
        command = null;
      }
      if (!command?.success) {
        res
          .writeHead(400, plain)
          .end(
            'send {"command": "left" | "right" | "up" | "down" | "zoom_in" | "zoom_out" | "home"}\n',
          );
        return;
      }
      const size = this.mainSize();
      const win = nextPtzWindow(this.ptzWindows.get(slug) ?? homeWindow(size), command.data, size);
      this.ptzWindows.set(slug, win);
      for (const source of this.sources.values()) {
        if (source.ptz?.slug === slug) source.child?.stdin?.write(cropCommands(win));
      }
      res.writeHead(204).end();
    });
  }

  private serveRecording(url: string, res: ServerResponse): void {
    const parsed = new URL(url, 'http://simulator');
    const slug = /^\/recordings\/([a-z0-9-]{1,60})\.mp4$/.exec(parsed.pathname)?.[1];
    const name = slug ? (this.names.get(slug) ?? this.adopt(slug)) : undefined;
    const startMs = Date.parse(parsed.searchParams.get('start') ?? '');
    const endMs = Date.parse(parsed.searchParams.get('end') ?? '');
    const plain = { 'content-type': 'text/plain' };
    if (!name) {
      res.writeHead(404, plain).end('no such camera\n');
      return;
    }
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) {
      res.writeHead(400, plain).end('start and end are ISO 8601 times, the end after the start\n');
      return;
    }
    if (endMs - startMs > MAX_RECORDING_SECONDS * 1000) {
      res
        .writeHead(400, plain)
        .end(
          `the demo serves at most ${MAX_RECORDING_SECONDS / 60} minutes of recording at once\n`,
        );
      return;
    }
    const dir = join(this.options.dataDir, 'recordings');
    encodeRecording(this.ffmpegPath, dir, { name, startMs, endMs }, this.font).then(
      async (file) => {
        const { size } = await stat(file);
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
        const stream = createReadStream(file);
        stream.pipe(res);
        await new Promise<void>((resolve) => res.once('close', () => resolve()));
        stream.destroy();
        await rm(file, { force: true });
      },
      (error: unknown) => {
        this.log.error({ err: String(error) }, 'demo recording unavailable');
        if (!res.headersSent) res.writeHead(503, plain);
        res.end('the demo recording could not be made\n');
      },
    );
  }

  private attach(key: string, clip: string, res: ServerResponse, ptz?: LiveSource['ptz']): void {
    if (this.stopped || res.destroyed) return;
    let source = this.sources.get(key);
    if (!source) {
      source = {
        ...(ptz ? { ptz } : {}),
        broadcast: new TsBroadcast(),
        child: null,
        idleTimer: null,
      };
      this.sources.set(key, source);
    }
    if (source.idleTimer) clearTimeout(source.idleTimer);
    source.idleTimer = null;
    if (!source.child) this.startLoop(key, source, clip);
    res.writeHead(200, { 'content-type': 'video/mp2t', 'cache-control': 'no-store' });
    const subscriber: TsSubscriber = {
      write: (chunk) => {
        if (res.destroyed) return false;
        res.write(chunk);
        return res.writableLength < MAX_CLIENT_BACKLOG;
      },
    };
    const current = source;
    current.broadcast.add(subscriber);
    res.once('close', () => {
      current.broadcast.remove(subscriber);
      if (current.broadcast.size === 0) this.scheduleIdleStop(key, current);
    });
  }

  /**
   * A plain camera copies its clip; a PTZ camera encodes the window it looks through, and takes
   * the window's moves on its standard input (ptzWindow.ts).
   */
  private loopArgs(source: LiveSource, clip: string): string[] {
    const input = ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip];
    if (!source.ptz)
      return [...input.slice(0, 1), '-nostdin', ...input.slice(1), '-map', '0:v:0', '-c', 'copy'];
    const win = this.ptzWindows.get(source.ptz.slug) ?? homeWindow(this.mainSize());
    const fps = this.options.fps ?? 25;
    const gop = Math.round(fps * (this.options.gopSeconds ?? 1));
    return [
      ...input,
      '-map',
      '0:v:0',
      '-vf',
      cropFilter(win, source.ptz.out),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-g',
      String(gop),
      '-keyint_min',
      String(gop),
      '-sc_threshold',
      '0',
      '-pix_fmt',
      'yuv420p',
    ];
  }

  private startLoop(key: string, source: LiveSource, clip: string): void {
    const child = spawn(
      this.ffmpegPath,
      [
        ...this.loopArgs(source, clip),
        '-f',
        'mpegts',
        '-muxdelay',
        '0',
        '-muxpreload',
        '0',
        '-flush_packets',
        '1',
        'pipe:1',
      ],
      { stdio: [source.ptz ? 'pipe' : 'ignore', 'pipe', 'ignore'], windowsHide: true },
    );
    trackChild(child);
    // A PTZ loop whose ffmpeg has ended takes no more commands; the write error is not news.
    child.stdin?.on('error', () => undefined);
    source.child = child;
    source.broadcast.reset();
    const startedAt = Date.now();
    child.stdout!.on('data', (chunk: Buffer) => source.broadcast.push(chunk));
    child.once('exit', () => {
      if (source.child === child) source.child = null;
      // Viewers still connected get a fresh loop rather than a dead stream (unless the loop
      // cannot even run for a second, which retrying would not fix).
      const ranLongEnough = Date.now() - startedAt > 1000;
      if (
        ranLongEnough &&
        !this.stopped &&
        source.broadcast.size > 0 &&
        this.sources.get(key) === source
      ) {
        this.startLoop(key, source, clip);
      }
    });
    this.log.info({ camera: key, pid: child.pid }, 'demo camera started');
  }

  private scheduleIdleStop(key: string, source: LiveSource): void {
    if (source.idleTimer) clearTimeout(source.idleTimer);
    source.idleTimer = setTimeout(() => {
      source.idleTimer = null;
      if (source.broadcast.size > 0) return;
      if (source.child) void endChild(source.child, 500);
      source.child = null;
      this.sources.delete(key);
      this.log.info({ camera: key }, 'demo camera idle, stopped');
    }, this.options.idleMs ?? 5000);
  }
}
