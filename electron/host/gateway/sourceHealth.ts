import type { Clock } from '../../../shared/time/clock';
import type { StreamState } from './streamState';

/**
 * The health of one source's ffmpeg, as a clock-driven state machine with no timers inside: the
 * supervisor reports what happens (spawned, media arrived, exited) and calls `tick()`, which
 * answers what to do next (end a stalled ffmpeg, start the next attempt).
 */

export interface HealthOptions {
  /** A running ffmpeg that delivered media but has been silent this long is stalled. */
  readonly stallMs?: number;
  /** A new ffmpeg that has delivered nothing after this long is stalled. */
  readonly startTimeoutMs?: number;
  /** Waits before each restart; the last value repeats. */
  readonly backoffMs?: readonly number[];
  /** Consecutive permanent failures (refused credentials, no such stream) before giving up. */
  readonly permanentFailureLimit?: number;
}

export type HealthAction =
  { readonly kind: 'end'; readonly reason: string } | { readonly kind: 'start' } | null;

export class SourceHealth {
  private readonly stallMs: number;
  private readonly startTimeoutMs: number;
  private readonly backoffMs: readonly number[];
  private readonly permanentFailureLimit: number;

  private current: StreamState = { kind: 'starting' };
  private running = false;
  private spawnedAt = 0;
  private lastMediaAt: number | null = null;
  private nextStartAt: number | null;
  private failures = 0;
  private permanentFailures = 0;
  private ending = false;

  constructor(
    private readonly clock: Clock,
    options: HealthOptions = {},
  ) {
    this.stallMs = options.stallMs ?? 4000;
    this.startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.backoffMs = options.backoffMs ?? [250, 500, 1000, 2000];
    this.permanentFailureLimit = options.permanentFailureLimit ?? 3;
    this.nextStartAt = clock.now();
  }

  get state(): StreamState {
    return this.current;
  }

  spawned(): void {
    this.running = true;
    this.ending = false;
    this.spawnedAt = this.clock.now();
    this.lastMediaAt = null;
    this.nextStartAt = null;
  }

  /** Media arrived: the source is live, and earlier failures are forgiven. */
  media(): StreamState | null {
    this.lastMediaAt = this.clock.now();
    this.failures = 0;
    this.permanentFailures = 0;
    if (this.current.kind === 'live') return null;
    this.current = { kind: 'live' };
    return this.current;
  }

  /**
   * ffmpeg exited. Returns the new state to announce. `immediate` restarts at once without
   * counting a failure (the gateway chose to restart, e.g. to switch to transcoding).
   */
  exited(reason: string, permanent: boolean, immediate = false): StreamState | null {
    this.running = false;
    this.ending = false;
    if (this.current.kind === 'failed') return null;
    const now = this.clock.now();
    if (immediate) {
      this.nextStartAt = now;
      return null;
    }
    this.failures++;
    if (permanent) this.permanentFailures++;
    else this.permanentFailures = 0;
    if (this.permanentFailures >= this.permanentFailureLimit) {
      this.nextStartAt = null;
      this.current = { kind: 'failed', reason };
      return this.current;
    }
    const wait = this.backoffMs[Math.min(this.failures - 1, this.backoffMs.length - 1)] ?? 1000;
    this.nextStartAt = now + wait;
    this.current = { kind: 'reconnecting', attempt: this.failures, reason };
    return this.current;
  }

  tick(): HealthAction {
    const now = this.clock.now();
    if (this.running) {
      if (this.ending) return null;
      if (this.lastMediaAt !== null && now - this.lastMediaAt > this.stallMs) {
        this.ending = true;
        return {
          kind: 'end',
          reason: `the source sent no video for ${Math.round(this.stallMs / 1000)} s`,
        };
      }
      if (this.lastMediaAt === null && now - this.spawnedAt > this.startTimeoutMs) {
        this.ending = true;
        return {
          kind: 'end',
          reason: `the source sent no video within ${Math.round(this.startTimeoutMs / 1000)} s`,
        };
      }
      return null;
    }
    if (this.nextStartAt !== null && now >= this.nextStartAt) {
      this.nextStartAt = null;
      return { kind: 'start' };
    }
    return null;
  }
}

/** Turns ffmpeg's last words into a reason an operator can act on, and whether to keep trying. */
export function classifyFfmpegExit(
  stderrTail: string,
  code: number | null,
): { readonly reason: string; readonly permanent: boolean } {
  const text = stderrTail.toLowerCase();
  if (/401 unauthorized|403 forbidden|authorization failed|authentication failed/.test(text)) {
    return { reason: 'the camera refused the credentials', permanent: true };
  }
  if (/404 not found|server returned 404|method describe failed: 404/.test(text)) {
    return { reason: 'the camera has no stream at this address', permanent: true };
  }
  if (/connection refused/.test(text)) {
    return { reason: 'the camera refused the connection', permanent: false };
  }
  if (/timed out|timeout/.test(text)) {
    return { reason: 'the camera did not answer in time', permanent: false };
  }
  if (/no route to host|network is unreachable|name or service not known/.test(text)) {
    return { reason: 'the camera cannot be reached', permanent: false };
  }
  if (/invalid data found|could not find codec parameters|does not contain any stream/.test(text)) {
    return { reason: 'the source sent no video this gateway can read', permanent: true };
  }
  if (/end of file|eof/.test(text) || code === 0) {
    return { reason: 'the source ended the stream', permanent: false };
  }
  return { reason: `the stream stopped (ffmpeg exit code ${code ?? 'none'})`, permanent: false };
}
