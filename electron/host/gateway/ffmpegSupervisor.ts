import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import type { CodecHint, SourceDescriptor } from '../../../shared/domain/cameras';
import type { Clock } from '../../../shared/time/clock';
import { planFfmpeg, needsTranscode } from './ffmpegArgs';
import { BoxSplitter, parseInit, type Box } from './fmp4Boxes';
import type { LlHlsPackager } from './llhlsPackager';
import { endChild, trackChild } from './processRegistry';
import { describeSource, redactSecrets } from '../../../shared/media/redactSecrets';
import { classifyFfmpegExit, SourceHealth, type HealthOptions } from './sourceHealth';
import type { StartupTrace } from './startupTrace';
import type { StreamState, StreamVariant } from './streamState';

/**
 * Runs ffmpeg for one source and variant, feeds its fragmented MP4 into the packager, and keeps
 * it running: a silent or dead ffmpeg is ended and started again with backoff. Every state change
 * is reported through `onState`.
 */

export interface SupervisorOptions {
  readonly ffmpegPath: string;
  /**
   * The source to pull on the next start: a grant-bound relay URL of one of the stream's viewers,
   * or null when none holds a grant any more (then nothing is started).
   */
  readonly source: () => SourceDescriptor | null;
  /** A start was due and no viewer holds a source: the stream has nothing left to pull. */
  readonly onNoSource?: () => void;
  readonly variant: StreamVariant;
  readonly packager: LlHlsPackager;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly health?: HealthOptions;
  readonly tickMs?: number;
  readonly onState: (state: StreamState) => void;
  /** Where the stream's first start goes (its first ffmpeg's stages are recorded once). */
  readonly trace?: StartupTrace;
}

const STDERR_LINES_KEPT = 12;

export class FfmpegSupervisor {
  private readonly health: SourceHealth;
  private readonly log: Logger;
  private child: ChildProcess | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private learnedCodec: CodecHint | null = null;
  /** Set once a run failed for want of codec parameters: later runs probe longer. */
  private longProbe = false;
  /** Why the gateway itself ended the current ffmpeg, if it did. */
  private endReason: { reason: string; immediate: boolean } | null = null;
  private stderrTail: string[] = [];
  private secrets: readonly string[] = [];
  /** The source the running ffmpeg pulls. */
  private running: SourceDescriptor | null = null;

  constructor(private readonly options: SupervisorOptions) {
    this.health = new SourceHealth(options.clock, options.health);
    this.log = options.logger.child({ variant: options.variant });
  }

  get state(): StreamState {
    return this.health.state;
  }

  /** The ffmpeg process id, while one runs (tests and benchmarks measure it). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    this.tick();
    this.ticker = setInterval(() => this.tick(), this.options.tickMs ?? 200);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    const child = this.child;
    this.child = null;
    if (child) await endChild(child);
  }

  /**
   * The viewers changed. If the source the running ffmpeg pulls belongs to a viewer who left (its
   * grant is about to end, and the relay will cut it), move to a remaining viewer's source now
   * rather than after the cut.
   */
  sourceChanged(): void {
    const next = this.options.source();
    if (!this.child || next === null || next === this.running) return;
    this.endCurrent("moving to another viewer's grant", true);
  }

  private tick(): void {
    if (this.stopped) return;
    const action = this.health.tick();
    if (!action) return;
    if (action.kind === 'start') this.spawnFfmpeg();
    else this.endCurrent(action.reason, false);
  }

  private endCurrent(reason: string, immediate: boolean): void {
    if (!this.child) return;
    this.endReason = { reason, immediate };
    this.log.warn({ reason }, 'ending ffmpeg');
    void endChild(this.child, 500);
  }

  private spawnFfmpeg(): void {
    const descriptor = this.options.source();
    if (!descriptor) {
      this.options.onNoSource?.();
      return;
    }
    const plan = planFfmpeg(descriptor, this.options.variant, this.learnedCodec, this.longProbe);
    this.secrets = plan.secrets;
    this.stderrTail = [];
    this.endReason = null;
    const child = spawn(this.options.ffmpegPath, plan.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    trackChild(child);
    this.child = child;
    this.running = descriptor;
    this.health.spawned();
    const trace = this.options.trace;
    trace?.mark('ffmpegSpawned');
    this.log.info(
      { pid: child.pid, transcode: plan.transcode, source: describeSource(descriptor.url) },
      'ffmpeg started',
    );

    const splitter = new BoxSplitter();
    let ftyp: Buffer | null = null;
    let moof: Box | null = null;
    let running = false;
    let joinable = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (child !== this.child || this.stopped) return;
      trace?.mark('firstBytes');
      try {
        for (const box of splitter.push(chunk)) {
          if (box.type === 'ftyp') ftyp = Buffer.from(box.bytes);
          else if (box.type === 'moov') {
            const info = parseInit(box);
            if (!plan.transcode && needsTranscode(info.codec)) {
              // The hint said nothing (or was wrong): switch this source to transcoding.
              this.learnedCodec = info.codec.startsWith('h') ? 'h265' : 'mjpeg';
              this.endCurrent(`the source sends ${info.codec}, which is transcoded`, true);
              return;
            }
            const init = Buffer.concat([ftyp ?? Buffer.alloc(0), Buffer.from(box.bytes)]);
            this.options.packager.startRun(init, info);
            trace?.mark('init');
            running = true;
          } else if (box.type === 'moof') moof = box;
          else if (box.type === 'mdat' && moof && running) {
            this.options.packager.pushFragment(moof, box, this.options.clock.now());
            moof = null;
            if (trace && !joinable) {
              trace.mark('firstFragment');
              joinable = this.options.packager.readyToJoin;
              if (joinable) trace.mark('firstPart');
            }
            const state = this.health.media();
            if (state) this.announce(state);
          }
        }
      } catch (error) {
        this.log.error({ err: String(error) }, 'unreadable ffmpeg output');
        this.endCurrent('the gateway could not read the converted stream', false);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        this.stderrTail.push(redactSecrets(line.trim(), this.secrets));
        if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      // spawn failed (no such binary): no exit event follows.
      if (child !== this.child) return;
      this.child = null;
      const reason =
        error.code === 'ENOENT' ? 'ffmpeg was not found' : `ffmpeg could not start (${error.code})`;
      this.onExited(reason, true, false);
    });
    child.once('exit', (code) => {
      if (child !== this.child) return;
      this.child = null;
      if (running) this.options.packager.endRun();
      const tail = this.stderrTail.join('\n');
      if (this.endReason) {
        this.onExited(this.endReason.reason, false, this.endReason.immediate);
      } else {
        const { reason, permanent } = classifyFfmpegExit(tail, code);
        if (!running && /codec parameters|dimensions not set/i.test(tail)) this.longProbe = true;
        this.log.warn({ code, stderr: tail }, 'ffmpeg exited');
        this.onExited(reason, permanent, false);
      }
    });
  }

  private onExited(reason: string, permanent: boolean, immediate: boolean): void {
    if (this.stopped) return;
    const state = this.health.exited(reason, permanent, immediate);
    if (state) this.announce(state);
    if (immediate) this.tick();
  }

  private announce(state: StreamState): void {
    this.log.info({ state: state.kind }, 'stream state');
    this.options.onState(state);
  }
}
