import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { SourceDescriptorSchema, type SourceDescriptor } from '../../../shared/domain/cameras';
import { systemClock, type Clock } from '../../../shared/time/clock';
import {
  ClipRangeError,
  ClipRequestSchema,
  exportClip as writeClip,
  type ClipExport,
  type ClipRequest,
} from './clipExport';
import { FfmpegSupervisor } from './ffmpegSupervisor';
import { selectFfmpeg } from './ffmpegPath';
import { LlHlsPackager, type PackagerOptions, type SegmentRecord } from './llhlsPackager';
import {
  bytesResponse,
  errorResponse,
  parseMediaPath,
  playlistResponse,
  queryValue,
  type MediaQuery,
  type MediaResponse,
  type MediaTarget,
} from './mediaRequest';
import { captureJpeg, SnapshotError } from './snapshot';
import { StartupTrace } from './startupTrace';
import type { HealthOptions } from './sourceHealth';
import { isFinal, StreamVariantSchema, type StreamState, type StreamVariant } from './streamState';

export interface StreamGatewayOptions {
  /** Defaults to WF_FFMPEG_PATH, else the newest of the system's and the bundled ffmpeg. */
  readonly ffmpegPath?: string;
  /** Where exported clips and snapshots are written. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How long a stream keeps running after its last viewer leaves (a quick re-open is warm). */
  readonly lingerMs?: number;
  readonly packager?: PackagerOptions;
  readonly health?: HealthOptions;
  /** How long a blocking playlist or part request is held before 503. Default 3 x target. */
  readonly blockTimeoutMs?: number;
  /** How long a playlist request waits for a starting stream's first part. */
  readonly startWaitMs?: number;
  /** How long an instant replay stays available. */
  readonly replayTtlMs?: number;
}

export interface OpenedStream {
  readonly mediaId: string;
  /** The live playlist's media path, relative to the media root (wf-media:// or /media/). */
  readonly playlistPath: string;
}

export interface Replay {
  readonly replayId: string;
  readonly playlistPath: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface Snapshot {
  readonly jpeg: Buffer;
  readonly contentType: 'image/jpeg';
  readonly filePath: string;
  /** Wall time (ingest clock) of the newest part the frame was taken from. */
  readonly capturedAtMs: number;
}

export interface StreamInfo {
  readonly mediaId: string;
  readonly sourceKey: string;
  readonly variant: StreamVariant;
  readonly viewers: number;
  readonly state: StreamState;
  readonly ffmpegPid: number | null;
  /** Seconds of video in the ring buffer (what replay and clip export can reach). */
  readonly bufferedSec: number;
}

export type StateListener = (state: StreamState) => void;

/** A request named a stream the gateway does not hold (never opened, released, or closed). */
export class UnknownMediaError extends Error {}

interface Stream {
  readonly mediaId: string;
  readonly key: string;
  readonly sourceKey: string;
  readonly variant: StreamVariant;
  readonly packager: LlHlsPackager;
  readonly supervisor: FfmpegSupervisor;
  readonly viewers: Set<string>;
  /** Each viewer's source (its grant's relay URL), in the order they came. */
  readonly sources: Map<string, SourceDescriptor>;
  readonly listeners: Set<StateListener>;
  readonly trace: StartupTrace;
  state: StreamState;
  lingerTimer: ReturnType<typeof setTimeout> | null;
}

interface ReplayRecord {
  readonly segments: readonly SegmentRecord[];
  readonly playlist: string;
  readonly expiresAt: number;
}

const newId = (): string => randomBytes(16).toString('base64url');
/** How many ended media ids are remembered so late requests get 410 and a reason, not 404. */
const ENDED_IDS_KEPT = 500;

/**
 * The stream gateway: one ffmpeg per source and variant, shared by every viewer, packaged as
 * LL-HLS and served through `handleMediaRequest`. See index.ts for the contract.
 */
export class StreamGateway {
  readonly ffmpegPath: string;
  private readonly dataDir: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly lingerMs: number;
  private readonly startWaitMs: number;
  private readonly replayTtlMs: number;
  private readonly streamsById = new Map<string, Stream>();
  private readonly streamsByKey = new Map<string, Stream>();
  private readonly ended = new Map<string, StreamState>();
  private readonly replays = new Map<string, ReplayRecord>();
  private readonly globalListeners = new Set<(mediaId: string, state: StreamState) => void>();
  private closed = false;

  constructor(private readonly options: StreamGatewayOptions) {
    this.dataDir = options.dataDir;
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'gateway' });
    if (options.ffmpegPath) {
      this.ffmpegPath = options.ffmpegPath;
    } else {
      // Which ffmpeg parses third-party streams is worth one line at start (docs/video.md).
      const choice = selectFfmpeg();
      this.ffmpegPath = choice.path;
      this.log.info(
        { ffmpeg: choice.path, version: choice.version?.text ?? null },
        `ffmpeg: ${choice.why}`,
      );
    }
    this.lingerMs = options.lingerMs ?? 10_000;
    this.startWaitMs = options.startWaitMs ?? 10_000;
    this.replayTtlMs = options.replayTtlMs ?? 15 * 60_000;
  }

  /**
   * A viewer wants a source. The first viewer of a (source, variant) starts its ffmpeg; later
   * viewers share it. `sourceKey` names the source (a camera id). Each viewer brings its own
   * descriptor (its grant's relay URL): ffmpeg pulls with the earliest viewer's still there, and
   * moves to another's when that viewer leaves, since the relay cuts a grant that ends.
   */
  open(
    sourceKey: string,
    descriptor: SourceDescriptor,
    variant: StreamVariant,
    viewerId: string,
  ): OpenedStream {
    if (this.closed) throw new Error('the stream gateway is closed');
    const parsedVariant = StreamVariantSchema.parse(variant);
    const key = `${sourceKey}\u0000${parsedVariant}`;
    let stream = this.streamsByKey.get(key);
    if (stream && isFinal(stream.state)) {
      this.drop(stream);
      stream = undefined;
    }
    const parsed = SourceDescriptorSchema.parse(descriptor);
    const fresh = !stream;
    if (!stream) stream = this.create(key, sourceKey, parsedVariant);
    stream.viewers.add(viewerId);
    stream.sources.set(viewerId, parsed);
    // A new stream starts once it has a source to pull; a running one may move to this one.
    if (fresh) stream.supervisor.start();
    else stream.supervisor.sourceChanged();
    if (stream.lingerTimer) clearTimeout(stream.lingerTimer);
    stream.lingerTimer = null;
    return { mediaId: stream.mediaId, playlistPath: `${stream.mediaId}/live.m3u8` };
  }

  /** A viewer left. After the last one, the stream stops once `lingerMs` has passed. */
  release(mediaId: string, viewerId: string): void {
    const stream = this.streamsById.get(mediaId);
    if (!stream) return;
    stream.viewers.delete(viewerId);
    stream.sources.delete(viewerId);
    stream.supervisor.sourceChanged();
    if (stream.viewers.size > 0 || stream.lingerTimer) return;
    stream.lingerTimer = setTimeout(() => {
      stream.lingerTimer = null;
      if (stream.viewers.size === 0) void this.stop(stream, { kind: 'stopped' });
    }, this.lingerMs);
  }

  /** The grant behind a stream was revoked: stop it at once and tell every viewer why. */
  async revoke(mediaId: string, reason: string): Promise<void> {
    const stream = this.streamsById.get(mediaId);
    if (!stream) return;
    await this.stop(stream, { kind: 'revoked', reason });
  }

  /** Calls `listener` with the stream's current state and every later change; returns unsubscribe. */
  subscribe(mediaId: string, listener: StateListener): () => void {
    const stream = this.streamsById.get(mediaId);
    if (!stream) {
      const last = this.ended.get(mediaId);
      if (!last) throw new UnknownMediaError('no such stream');
      listener(last);
      return () => undefined;
    }
    stream.listeners.add(listener);
    listener(stream.state);
    return () => {
      stream.listeners.delete(listener);
    };
  }

  /** Every state change of every stream (for a host that fans events out itself). */
  onStateChange(listener: (mediaId: string, state: StreamState) => void): () => void {
    this.globalListeners.add(listener);
    return () => {
      this.globalListeners.delete(listener);
    };
  }

  state(mediaId: string): StreamState | null {
    return this.streamsById.get(mediaId)?.state ?? this.ended.get(mediaId) ?? null;
  }

  streams(): StreamInfo[] {
    return [...this.streamsById.values()].map((s) => ({
      mediaId: s.mediaId,
      sourceKey: s.sourceKey,
      variant: s.variant,
      viewers: s.viewers.size,
      state: s.state,
      ffmpegPid: s.supervisor.pid,
      bufferedSec: s.packager.completeSegments().reduce((sum, seg) => sum + seg.durationSec, 0),
    }));
  }

  /** The last `seconds` of a live stream as a VOD playlist that stays valid for a while. */
  replay(mediaId: string, seconds: number): Replay {
    const stream = this.requireStream(mediaId);
    if (!(seconds > 0)) throw new RangeError('a replay needs a positive number of seconds');
    const picked = stream.packager.lastSeconds(seconds);
    if (picked.length === 0) throw new ClipRangeError('the stream has no video to replay yet');
    this.pruneReplays();
    const replayId = newId();
    this.replays.set(replayId, {
      segments: picked,
      playlist: stream.packager.vodPlaylist(picked),
      expiresAt: this.clock.now() + this.replayTtlMs,
    });
    const last = picked[picked.length - 1]!;
    return {
      replayId,
      playlistPath: `${replayId}/replay.m3u8`,
      startMs: picked[0]!.pdtMs,
      endMs: last.endMs,
    };
  }

  /** Writes a time range of a live stream's buffer to an MP4 with a chain-of-custody manifest. */
  async exportClip(request: ClipRequest): Promise<ClipExport> {
    const parsed = ClipRequestSchema.parse(request);
    const stream = this.requireStream(parsed.mediaId);
    return writeClip(
      this.ffmpegPath,
      this.dataDir,
      stream.packager.completeSegments(),
      parsed,
      this.clock.now(),
    );
  }

  /** A JPEG of the newest frame, also written to the data folder under its SHA-256. */
  async snapshot(mediaId: string): Promise<Snapshot> {
    const stream = this.requireStream(mediaId);
    await stream.packager.until(() => stream.packager.latestDecodable() !== null, this.startWaitMs);
    const decodable = stream.packager.latestDecodable();
    if (!decodable) throw new SnapshotError('the stream has no frame yet');
    const jpeg = await captureJpeg(this.ffmpegPath, decodable.init, decodable.parts);
    const dir = join(this.dataDir, 'snapshots');
    await mkdir(dir, { recursive: true });
    const filePath = join(dir, `${createHash('sha256').update(jpeg).digest('hex')}.jpg`);
    await writeFile(filePath, jpeg);
    const lastPart = decodable.parts[decodable.parts.length - 1]!;
    const segment = stream.packager.segment(lastPart.msn);
    const capturedAtMs = segment
      ? segment.pdtMs + this.partEndOffsetMs(segment, lastPart.seq)
      : this.clock.now();
    return { jpeg, contentType: 'image/jpeg', filePath, capturedAtMs };
  }

  private partEndOffsetMs(segment: SegmentRecord, seq: number): number {
    let sec = 0;
    for (const part of segment.parts) {
      sec += part.durationSec;
      if (part.seq === seq) break;
    }
    return Math.round(sec * 1000);
  }

  /**
   * Answers a media request. `path` is `<id>/<name>` relative to the media root; `query` carries
   * the LL-HLS blocking parameters; `signal` aborts a held request when the client goes away.
   */
  async handleMediaRequest(
    path: string,
    query: MediaQuery = {},
    signal?: AbortSignal,
  ): Promise<MediaResponse> {
    const parsed = parseMediaPath(path);
    if (!parsed) return errorResponse(400, 'not a media path this gateway serves');
    const { id, target } = parsed;
    const replay = this.replays.get(id);
    if (replay) {
      if (replay.expiresAt < this.clock.now()) {
        this.replays.delete(id);
        return errorResponse(410, 'replay expired');
      }
      return this.answerReplay(replay, target);
    }
    const stream = this.streamsById.get(id);
    if (!stream) {
      const last = this.ended.get(id);
      if (last?.kind === 'revoked') return errorResponse(410, `stream revoked: ${last.reason}`);
      if (last) return errorResponse(410, 'stream ended');
      return errorResponse(404, 'no such stream');
    }
    const packager = stream.packager;
    const blockMs = this.options.blockTimeoutMs ?? 3 * packager.targetDurationSec * 1000;
    const gone = (): MediaResponse => this.endedResponse(id);
    switch (target.kind) {
      case 'live-playlist': {
        stream.trace.mark('playlistAsked');
        const answer = await this.answerLivePlaylist(stream, query, blockMs, signal);
        if (answer.status === 200 && stream.trace.mark('playlistAnswered')) {
          // One line per stream: where its cold start went (docs/video.md, "Cold start").
          const startup = stream.trace.offsets();
          this.log.info(
            { mediaId: stream.mediaId, sourceKey: stream.sourceKey, startupMs: startup },
            `stream started: first playlist ${startup.playlistAnswered} ms after it was opened`,
          );
        }
        return answer;
      }
      case 'init': {
        const init = packager.init(target.id);
        return init
          ? bytesResponse(init.bytes, 'video/mp4')
          : errorResponse(404, 'no such init segment');
      }
      case 'part': {
        if (!packager.part(target.seq) && packager.isUpcomingPart(target.seq)) {
          await packager.until(() => packager.part(target.seq) !== undefined, blockMs, signal);
        }
        const part = packager.part(target.seq);
        if (part) return bytesResponse(part.bytes, 'video/mp4');
        if (!this.streamsById.has(id)) return gone();
        return errorResponse(packager.isUpcomingPart(target.seq) ? 503 : 404, 'no such part');
      }
      case 'segment': {
        const pending = packager.segment(target.msn);
        if (pending && !pending.complete) {
          await packager.until(
            () => packager.segment(target.msn)?.complete === true,
            blockMs,
            signal,
          );
        }
        const segment = packager.segment(target.msn);
        if (segment?.complete) return bytesResponse(segmentBytes(segment), 'video/mp4');
        if (!this.streamsById.has(id)) return gone();
        return errorResponse(segment ? 503 : 404, 'no such segment');
      }
      case 'snapshot':
        try {
          const shot = await this.snapshot(id);
          return {
            ...bytesResponse(shot.jpeg, shot.contentType),
            headers: { 'content-type': 'image/jpeg', 'cache-control': 'no-store' },
          };
        } catch (error) {
          if (error instanceof SnapshotError) return errorResponse(503, error.message);
          throw error;
        }
      case 'replay-playlist':
        return errorResponse(404, 'no such replay');
    }
  }

  private async answerLivePlaylist(
    stream: Stream,
    query: MediaQuery,
    blockMs: number,
    signal?: AbortSignal,
  ): Promise<MediaResponse> {
    const packager = stream.packager;
    const msnText = queryValue(query, '_HLS_msn');
    const partText = queryValue(query, '_HLS_part');
    if (msnText === undefined && partText !== undefined) {
      return errorResponse(400, '_HLS_part needs _HLS_msn');
    }
    if (msnText !== undefined) {
      const msn = wholeNumber(msnText);
      const part = partText === undefined ? null : wholeNumber(partText);
      if (msn === null || (partText !== undefined && part === null)) {
        return errorResponse(400, '_HLS_msn and _HLS_part are whole numbers');
      }
      if (packager.hasMedia && msn > packager.headMsn + 2) {
        return errorResponse(400, '_HLS_msn is more than two segments ahead of the stream');
      }
      const ready = await packager.until(() => packager.hasPart(msn, part), blockMs, signal);
      if (!ready) {
        if (!this.streamsById.has(stream.mediaId)) return this.endedResponse(stream.mediaId);
        return errorResponse(503, 'the requested part is not available yet');
      }
    } else if (!packager.readyToJoin) {
      // A starting stream: answer once a player can join without stalling at once.
      await packager.until(() => packager.readyToJoin, this.startWaitMs, signal);
    }
    const text = packager.livePlaylist();
    if (text) return playlistResponse(text);
    if (!this.streamsById.has(stream.mediaId)) return this.endedResponse(stream.mediaId);
    const state = stream.state;
    const why = state.kind === 'reconnecting' || state.kind === 'failed' ? `: ${state.reason}` : '';
    return errorResponse(503, `the stream has not started yet${why}`);
  }

  private answerReplay(replay: ReplayRecord, target: MediaTarget): MediaResponse {
    switch (target.kind) {
      case 'replay-playlist':
        return playlistResponse(replay.playlist);
      case 'init': {
        const init = replay.segments.find((s) => s.initId === target.id)?.init;
        return init
          ? bytesResponse(init.bytes, 'video/mp4')
          : errorResponse(404, 'no such init segment');
      }
      case 'segment': {
        const segment = replay.segments.find((s) => s.msn === target.msn);
        return segment
          ? bytesResponse(segmentBytes(segment), 'video/mp4')
          : errorResponse(404, 'no such segment');
      }
      default:
        return errorResponse(404, 'a replay has only a playlist, init segments and segments');
    }
  }

  private endedResponse(mediaId: string): MediaResponse {
    const last = this.ended.get(mediaId);
    if (last?.kind === 'revoked') return errorResponse(410, `stream revoked: ${last.reason}`);
    return errorResponse(410, 'stream ended');
  }

  /** Stops every stream and ends every ffmpeg; resolves once they have exited. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.streamsById.values()].map((s) => this.stop(s, { kind: 'stopped' })));
    this.replays.clear();
  }

  private requireStream(mediaId: string): Stream {
    const stream = this.streamsById.get(mediaId);
    if (!stream) throw new UnknownMediaError('no such stream');
    return stream;
  }

  private create(key: string, sourceKey: string, variant: StreamVariant): Stream {
    const mediaId = newId();
    const packager = new LlHlsPackager(this.options.packager);
    const trace = new StartupTrace(this.clock);
    const stream: Stream = {
      mediaId,
      key,
      sourceKey,
      variant,
      packager,
      viewers: new Set(),
      sources: new Map(),
      listeners: new Set(),
      trace,
      state: { kind: 'starting' },
      lingerTimer: null,
      supervisor: new FfmpegSupervisor({
        ffmpegPath: this.ffmpegPath,
        source: () => stream.sources.values().next().value ?? null,
        // Its last viewer left and the relay cut the pull (their grants ended): a later viewer
        // starts afresh under its own grant rather than joining a buffer from an ended one.
        onNoSource: () => {
          if (stream.viewers.size === 0) void this.stop(stream, { kind: 'stopped' });
        },
        variant,
        packager,
        clock: this.clock,
        logger: this.log.child({ mediaId, sourceKey }),
        health: this.options.health,
        trace,
        onState: (state) => {
          this.setState(stream, state);
          if (state.kind === 'failed') void this.stop(stream, state);
        },
      }),
    };
    this.streamsById.set(mediaId, stream);
    this.streamsByKey.set(key, stream);
    this.log.info({ mediaId, sourceKey, variant }, 'stream opened');
    return stream;
  }

  private setState(stream: Stream, state: StreamState): void {
    stream.state = state;
    for (const listener of [...stream.listeners]) listener(state);
    for (const listener of [...this.globalListeners]) listener(stream.mediaId, state);
  }

  private async stop(stream: Stream, finalState: StreamState): Promise<void> {
    if (this.streamsById.get(stream.mediaId) !== stream) return;
    this.drop(stream);
    if (stream.lingerTimer) clearTimeout(stream.lingerTimer);
    this.ended.set(stream.mediaId, finalState);
    if (this.ended.size > ENDED_IDS_KEPT) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
    const stopping = stream.supervisor.stop();
    stream.packager.end();
    if (stream.state.kind !== finalState.kind) this.setState(stream, finalState);
    stream.listeners.clear();
    this.log.info({ mediaId: stream.mediaId, state: finalState.kind }, 'stream stopped');
    await stopping;
  }

  private drop(stream: Stream): void {
    if (this.streamsById.get(stream.mediaId) === stream) this.streamsById.delete(stream.mediaId);
    if (this.streamsByKey.get(stream.key) === stream) this.streamsByKey.delete(stream.key);
  }

  private pruneReplays(): void {
    const now = this.clock.now();
    for (const [id, replay] of this.replays) if (replay.expiresAt < now) this.replays.delete(id);
  }
}

function segmentBytes(segment: SegmentRecord): Buffer {
  return Buffer.concat(segment.parts.map((p) => p.bytes));
}

function wholeNumber(text: string): number | null {
  return /^\d{1,12}$/.test(text) ? Number(text) : null;
}
