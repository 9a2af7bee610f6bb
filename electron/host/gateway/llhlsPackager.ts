import type { Box, InitInfo } from './fmp4Boxes';
import { parseFragment, withDecodeTime } from './fmp4Boxes';
import { IngestClock } from './ingestClock';
import type { PlaylistSegment } from './hlsPlaylist';
import { renderLivePlaylist, renderVodPlaylist } from './hlsPlaylist';

/**
 * The gateway's LL-HLS packager. ffmpeg hands it one moof/mdat fragment per frame; the packager
 * groups frames into parts of about `partTargetSec` (a keyframe always starts a new part, so
 * parts that start on a keyframe are marked INDEPENDENT) and parts into segments (a segment is cut
 * at the first keyframe once it is at least `segmentMinSec` long, and never grows beyond the target
 * duration; a run's first segment ends with its first part, so that a player can join at once).
 * It keeps the last `ringSeconds` of segments in memory for the live playlist, instant
 * replay and clip export, rewrites decode times into one continuous timeline across ffmpeg
 * restarts (marking each restart as a discontinuity), and wakes blocked requests as parts appear.
 */

export interface PackagerOptions {
  readonly partTargetSec?: number;
  readonly segmentMinSec?: number;
  /** EXT-X-TARGETDURATION: an integer number of seconds no segment exceeds. */
  readonly targetDurationSec?: number;
  readonly ringSeconds?: number;
  /** PART-HOLD-BACK, the player's distance from the live edge (default 3 part targets). */
  readonly partHoldBackSec?: number;
}

export interface InitRecord {
  readonly id: number;
  readonly bytes: Buffer;
  readonly info: InitInfo;
}

export interface PartRecord {
  readonly seq: number;
  readonly msn: number;
  /** Position inside its segment (the _HLS_part numbering). */
  readonly index: number;
  readonly bytes: Buffer;
  readonly durationSec: number;
  readonly independent: boolean;
  readonly frames: number;
}

export interface SegmentRecord extends PlaylistSegment {
  readonly init: InitRecord;
  readonly parts: readonly PartRecord[];
  readonly complete: boolean;
  /** Wall time just after the segment's last frame. */
  readonly endMs: number;
}

interface OpenPart {
  readonly seq: number;
  readonly index: number;
  readonly chunks: Uint8Array[];
  durationSec: number;
  frames: number;
  readonly independent: boolean;
}

interface MutableSegment {
  readonly msn: number;
  readonly init: InitRecord;
  readonly initId: number;
  readonly discontinuity: boolean;
  pdtMs: number;
  readonly parts: PartRecord[];
  durationSec: number;
  complete: boolean;
  endMs: number;
}

interface RunTimeline {
  readonly init: InitRecord;
  /** The source's decode time that maps to `baseTicks` on our timeline. */
  sourceOrigin: bigint | null;
  /** Sequence number of the run's first segment (-1 until it exists). */
  firstMsn: number;
  baseTicks: bigint;
  endTicks: bigint;
}

const EPSILON_SEC = 0.001;
/** A jump in the source's timestamps beyond this is rebased rather than played as a gap. */
const MAX_TIMESTAMP_JUMP_SEC = 1;
/** Stamps this much too late are left as they are (arrival jitter, not a burst). */
const RESTAMP_TOLERANCE_MS = 20;

export class LlHlsPackager {
  readonly partTargetSec: number;
  readonly segmentMinSec: number;
  readonly targetDurationSec: number;
  readonly ringSeconds: number;
  readonly partHoldBackSec: number;

  private readonly segments: MutableSegment[] = [];
  private readonly partsBySeq = new Map<number, PartRecord>();
  private readonly inits = new Map<number, InitRecord>();
  private readonly ingest = new IngestClock();
  private readonly waiters = new Set<() => void>();
  private run: RunTimeline | null = null;
  private openSegment: MutableSegment | null = null;
  private openPart: OpenPart | null = null;
  private nextMsn = 0;
  private nextPartSeq = 0;
  private nextInitId = 0;
  private pendingDiscontinuity = false;
  private evictedDiscontinuities = 0;
  private ended = false;
  /** Bumped on every publish; the rendered live playlist is cached per version. */
  private version = 0;
  private cachedPlaylist: { readonly version: number; readonly text: string | null } | null = null;
  /** Continuous output timeline, in seconds, carried across runs. */
  private timelineEndSec = 0;

  constructor(options: PackagerOptions = {}) {
    this.partTargetSec = options.partTargetSec ?? 0.2;
    this.segmentMinSec = options.segmentMinSec ?? 1;
    this.targetDurationSec = Math.ceil(options.targetDurationSec ?? 2);
    this.ringSeconds = options.ringSeconds ?? 60;
    // RFC 8216bis requires at least two part targets of hold-back and suggests three. Three keeps
    // a wall on a loaded two-core machine from stalling (measured: bench/wall, docs/video.md);
    // every tenth of a second less is a tenth less latency on every tile.
    this.partHoldBackSec = options.partHoldBackSec ?? 3 * this.partTargetSec;
    if (this.partHoldBackSec < 2 * this.partTargetSec) {
      throw new Error('PART-HOLD-BACK must be at least twice the part target');
    }
    if (this.segmentMinSec > this.targetDurationSec) {
      throw new Error('segmentMinSec must not exceed targetDurationSec');
    }
  }

  /** A new ffmpeg run begins with its init segment (ftyp + moov). */
  startRun(initBytes: Buffer, info: InitInfo): InitRecord {
    if (this.run) this.endRun();
    const init: InitRecord = { id: this.nextInitId++, bytes: initBytes, info };
    this.inits.set(init.id, init);
    const baseTicks = BigInt(Math.round(this.timelineEndSec * info.timescale));
    this.run = { init, sourceOrigin: null, firstMsn: -1, baseTicks, endTicks: baseTicks };
    this.ingest.reset();
    this.ended = false;
    return init;
  }

  /** One moof + mdat pair from the current run; `arrivalMs` is the ingest clock's reading. */
  pushFragment(moof: Box, mdat: Box, arrivalMs: number): void {
    const run = this.run;
    if (!run) throw new Error('a fragment arrived before its init segment');
    const info = parseFragment(moof);
    const timescale = run.init.info.timescale;
    if (run.sourceOrigin === null) run.sourceOrigin = info.baseDecodeTime;
    let outTicks = run.baseTicks + (info.baseDecodeTime - run.sourceOrigin);
    const jumpSec = Number(outTicks - run.endTicks) / timescale;
    if (run.endTicks > run.baseTicks && Math.abs(jumpSec) > MAX_TIMESTAMP_JUMP_SEC) {
      // The source's clock jumped (a camera reboot, a looped file): continue our timeline instead.
      run.sourceOrigin = info.baseDecodeTime;
      run.baseTicks = run.endTicks;
      outTicks = run.endTicks;
      this.ingest.reset();
    }
    run.endTicks = outTicks + BigInt(info.duration);
    this.timelineEndSec = Number(run.endTicks) / timescale;

    const durationSec = info.duration / timescale;
    const frameSec = durationSec / info.sampleCount;
    this.ingest.observe(this.timelineEndSec * 1000, arrivalMs);

    const segment = this.openSegment;
    if (segment) {
      const segmentSec = segment.durationSec + (this.openPart?.durationSec ?? 0);
      // A segment that did not start on a keyframe (after a forced or a short first cut) ends at
      // the next one, so segments realign with keyframes as soon as they can.
      const aligned = segment.parts[0]?.independent ?? this.openPart?.independent ?? false;
      if (this.endsRunsFirstSegment(segment, run)) {
        this.closeSegment();
      } else if (
        info.startsWithKeyframe &&
        (segmentSec >= this.segmentMinSec - EPSILON_SEC || !aligned)
      ) {
        this.closeSegment();
      } else if (segmentSec + durationSec > this.targetDurationSec + EPSILON_SEC) {
        this.closeSegment();
      } else if (
        this.openPart &&
        (info.startsWithKeyframe ||
          this.openPart.durationSec + durationSec > this.partTargetSec + EPSILON_SEC)
      ) {
        this.closePart();
      }
    }
    if (!this.openSegment) {
      const startMs = (Number(outTicks) / timescale) * 1000;
      const pdtMs = this.ingest.wallTimeOf(startMs) ?? arrivalMs;
      this.restampRun(run, pdtMs);
      this.openSegment = {
        msn: this.nextMsn++,
        init: run.init,
        initId: run.init.id,
        discontinuity: this.pendingDiscontinuity,
        pdtMs,
        parts: [],
        durationSec: 0,
        complete: false,
        endMs: arrivalMs,
      };
      this.pendingDiscontinuity = false;
      this.segments.push(this.openSegment);
      if (run.firstMsn < 0) run.firstMsn = this.openSegment.msn;
    }
    if (!this.openPart) {
      this.openPart = {
        seq: this.nextPartSeq++,
        index: this.openSegment.parts.length,
        chunks: [],
        durationSec: 0,
        frames: 0,
        independent: info.startsWithKeyframe,
      };
    }
    // The part's bytes are joined into one compact buffer when it closes; until then the mdat is
    // a view of what the pipe delivered.
    this.openPart.chunks.push(withDecodeTime(moof.bytes, info, outTicks), mdat.bytes);
    this.openPart.durationSec += durationSec;
    this.openPart.frames += info.sampleCount;
    // Publish as soon as one more frame would overflow the part: waiting for the next frame to
    // arrive would add a frame of latency to every part.
    if (this.openPart.durationSec + frameSec > this.partTargetSec + EPSILON_SEC) {
      this.closePart();
      if (this.endsRunsFirstSegment(this.openSegment, run)) this.closeSegment();
    }
  }

  /**
   * A run's first segment is complete as soon as it holds a part. hls.js plays nothing until a
   * playlist lists a complete segment (it answers an open segment's parts alone with
   * LEVEL_EMPTY_ERROR and retries a second later, then two), so on a one-second GOP a cold tile
   * waited a GOP for the first cut, and one in four missed it and waited three seconds more
   * (docs/docking.md, "The time it takes"). The next segment, which does not start on a keyframe,
   * ends at the next one (see pushFragment), so segments are back on keyframes within a GOP.
   */
  private endsRunsFirstSegment(segment: MutableSegment, run: RunTimeline): boolean {
    return (
      segment.msn === run.firstMsn && segment.parts.length > 0 && segment.parts[0]!.independent
    );
  }

  /**
   * A source that starts with a burst (a GOP cache sends its last GOP at once) delivers its first
   * frames faster than real time, so the ingest clock learns only as the burst ends how old they
   * were, and the run's first segments were stamped too late. When a new segment's stamp comes
   * out earlier than the previous segment's end, the run's earlier segments move back with it, so
   * that PROGRAM-DATE-TIME stays continuous (hls.js reads a tile's latency from it).
   */
  private restampRun(run: RunTimeline, nextPdtMs: number): void {
    // The run's first segment has nothing of its run before it to move. Once it exists, the
    // newest segment is the run's (the ring always keeps the newest).
    if (run.firstMsn < 0) return;
    const previous = this.segments[this.segments.length - 1]!;
    const shiftMs = previous.pdtMs + Math.round(1000 * previous.durationSec) - nextPdtMs;
    if (shiftMs <= RESTAMP_TOLERANCE_MS) return;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.msn < run.firstMsn) break;
      s.pdtMs -= shiftMs;
      s.endMs -= shiftMs;
    }
    this.version++;
  }

  /** The current run stopped (ffmpeg exited or was stopped): close what it was filling. */
  endRun(): void {
    if (this.openSegment) this.closeSegment();
    if (this.run && this.segments.length > 0) this.pendingDiscontinuity = true;
    this.run = null;
    this.notify();
  }

  /** No more data will ever come (the stream was stopped or revoked): wake every waiter. */
  end(): void {
    this.endRun();
    this.ended = true;
    this.notify();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private closePart(): void {
    const open = this.openPart;
    const segment = this.openSegment;
    if (!open || !segment) return;
    this.openPart = null;
    if (open.frames === 0) return;
    const part: PartRecord = {
      seq: open.seq,
      msn: segment.msn,
      index: open.index,
      bytes: Buffer.concat(open.chunks),
      durationSec: open.durationSec,
      independent: open.independent,
      frames: open.frames,
    };
    segment.parts.push(part);
    segment.durationSec += part.durationSec;
    this.partsBySeq.set(part.seq, part);
    this.notify();
  }

  private closeSegment(): void {
    this.closePart();
    const segment = this.openSegment;
    this.openSegment = null;
    if (!segment) return;
    if (segment.parts.length === 0) {
      this.segments.pop();
      return;
    }
    segment.complete = true;
    segment.endMs = segment.pdtMs + Math.round(1000 * segment.durationSec);
    this.evict();
    this.notify();
  }

  /**
   * Drops the oldest segments beyond the ring's length, keeping at least the newest. Runs as a
   * segment closes, when none is open: every segment is complete, and the running run's init is
   * used by its newest.
   */
  private evict(): void {
    let total = 0;
    for (const s of this.segments) total += s.durationSec;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      if (total - oldest.durationSec < this.ringSeconds) break;
      this.segments.shift();
      total -= oldest.durationSec;
      if (oldest.discontinuity) this.evictedDiscontinuities++;
      for (const part of oldest.parts) this.partsBySeq.delete(part.seq);
    }
    const used = new Set(this.segments.map((s) => s.initId));
    for (const id of [...this.inits.keys()]) if (!used.has(id)) this.inits.delete(id);
  }

  private notify(): void {
    this.version++;
    for (const waiter of [...this.waiters]) waiter();
  }

  /**
   * Resolves true as soon as `ready()` holds, false when the timeout passes, the signal aborts or
   * the stream ends first.
   */
  until(ready: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    if (this.ended || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const check = (): void => {
        if (ready()) finish(true);
        else if (this.ended) finish(false);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
    });
  }

  // ---- queries ----

  /**
   * Whether the playlist already satisfies `_HLS_msn=msn` (and `_HLS_part=part`). Only the newest
   * segment can be incomplete, so it alone decides: a newer one means `msn` is complete (or older
   * than the ring, which "or later" also satisfies).
   */
  hasPart(msn: number, part: number | null): boolean {
    const newest = this.segments[this.segments.length - 1];
    if (!newest || newest.msn < msn) return false;
    if (newest.msn > msn) return true;
    return newest.complete || (part !== null && newest.parts.length > part);
  }

  /** The sequence number of the newest segment that has published anything, or -1. */
  get headMsn(): number {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.complete || s.parts.length > 0) return s.msn;
    }
    return -1;
  }

  get hasMedia(): boolean {
    return this.headMsn >= 0;
  }

  /**
   * Whether a player can start: as soon as a complete segment exists, which is as soon as the
   * first part is cut (a run's first segment is that part). hls.js needs one complete segment in
   * the playlist, then follows the open segment's parts with blocking reloads. Waiting for a
   * full GOP and PART-HOLD-BACK of media made every cold tile later (docs/docking.md, "The time
   * it takes").
   */
  get readyToJoin(): boolean {
    return this.segments.some((s) => s.complete);
  }

  part(seq: number): PartRecord | undefined {
    return this.partsBySeq.get(seq);
  }

  /** Whether a part that does not exist yet is the one being filled or hinted next. */
  isUpcomingPart(seq: number): boolean {
    return !this.ended && seq >= this.nextPartSeq - 1 && seq <= this.nextPartSeq && !this.part(seq);
  }

  segment(msn: number): SegmentRecord | undefined {
    return this.segments.find((s) => s.msn === msn);
  }

  init(id: number): InitRecord | undefined {
    return this.inits.get(id);
  }

  /** Complete segments in the ring, oldest first. */
  completeSegments(): readonly SegmentRecord[] {
    return this.segments.filter((s) => s.complete);
  }

  /**
   * The newest complete segments covering at least `seconds`, starting on a keyframe (a run's
   * second segment does not: the first is its first part alone), for an instant replay.
   */
  lastSeconds(seconds: number): SegmentRecord[] {
    const complete = this.completeSegments();
    let first = complete.length;
    let covered = 0;
    while (first > 0 && covered < seconds) covered += complete[--first]!.durationSec;
    while (first > 0 && !complete[first]!.parts[0]!.independent) first--;
    return complete.slice(first);
  }

  /** Discontinuities that precede the segment with sequence number `msn`. */
  discontinuitiesBefore(msn: number): number {
    let n = this.evictedDiscontinuities;
    for (const s of this.segments) if (s.msn < msn && s.discontinuity) n++;
    return n;
  }

  /** The init segment and the parts from the newest keyframe on: what a decoder needs for "now". */
  latestDecodable(): { readonly init: InitRecord; readonly parts: readonly PartRecord[] } | null {
    const parts: PartRecord[] = [];
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      for (let j = s.parts.length - 1; j >= 0; j--) {
        const p = s.parts[j]!;
        parts.unshift(p);
        if (p.independent) return { init: s.init, parts };
      }
      if (s.discontinuity) return null;
    }
    return null;
  }

  /** The live playlist as it stands (rendered once per change: every tile of a stream asks). */
  livePlaylist(): string | null {
    if (this.cachedPlaylist?.version === this.version) return this.cachedPlaylist.text;
    const text = this.renderLive();
    this.cachedPlaylist = { version: this.version, text };
    return text;
  }

  private renderLive(): string | null {
    if (!this.hasMedia) return null;
    const complete = this.segments.filter((s) => s.complete);
    const windowSec = 3 * this.targetDurationSec;
    let first = complete.length;
    let listed = 0;
    while (first > 0 && listed < windowSec) listed += complete[--first]!.durationSec;
    const segments = complete.slice(first);
    const open = this.openSegment && this.openSegment.parts.length > 0 ? this.openSegment : null;
    const firstMsn = segments[0]?.msn ?? open?.msn ?? 0;
    return renderLivePlaylist({
      targetDurationSec: this.targetDurationSec,
      partTargetSec: this.partTargetSec,
      partHoldBackSec: this.partHoldBackSec,
      segments,
      partSegments: 2,
      open,
      discontinuitySeq: this.discontinuitiesBefore(firstMsn),
      preloadPartSeq: this.ended ? null : (this.openPart?.seq ?? this.nextPartSeq),
    });
  }

  /** A VOD playlist over the given complete segments (instant replay). */
  vodPlaylist(segments: readonly SegmentRecord[]): string {
    return renderVodPlaylist(this.targetDurationSec, segments);
  }
}
