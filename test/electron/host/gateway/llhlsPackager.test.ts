import { beforeAll, describe, expect, it } from 'vitest';
import {
  BoxSplitter,
  parseFragment,
  parseInit,
  withDecodeTime,
  type Box,
  type InitInfo,
} from '../../../../electron/host/gateway/fmp4Boxes';
import { LlHlsPackager } from '../../../../electron/host/gateway/llhlsPackager';
import { makeFragmentedSample, SAMPLE_FPS } from '../fixtures/fmp4Sample';
import { allParts, parsePlaylist } from '../fixtures/playlist';

const FRAME_MS = 1000 / SAMPLE_FPS;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');

let init: Buffer;
let info: InitInfo;
let fragments: { moof: Box; mdat: Box }[];
/** The same pattern with a keyframe every third frame: several keyframes to one part target. */
let shortGop: { init: Buffer; info: InitInfo; fragments: { moof: Box; mdat: Box }[] };

async function sample(seconds: number, gop?: number) {
  const boxes = new BoxSplitter().push(await makeFragmentedSample(seconds, undefined, gop));
  const ftyp = boxes.find((b) => b.type === 'ftyp')!;
  const moov = boxes.find((b) => b.type === 'moov')!;
  const frags: { moof: Box; mdat: Box }[] = [];
  for (let i = 0; i < boxes.length; i++) {
    if (boxes[i]!.type === 'moof') frags.push({ moof: boxes[i]!, mdat: boxes[i + 1]! });
  }
  return { init: Buffer.concat([ftyp.bytes, moov.bytes]), info: parseInit(moov), fragments: frags };
}

beforeAll(async () => {
  ({ init, info, fragments } = await sample(6));
  shortGop = await sample(2, 3);
});

/** Feeds frames [from, to) as if frame k's fragment arrived when frame k+1 was read, plus jitter. */
function feed(
  packager: LlHlsPackager,
  from: number,
  to: number,
  start = T0,
  jitter: (k: number) => number = () => 0,
): void {
  for (let k = from; k < to; k++) {
    const f = fragments[k]!;
    packager.pushFragment(f.moof, f.mdat, start + (k - from + 1) * FRAME_MS + jitter(k));
  }
}

/** Frame k with its source decode time moved by `shiftSec` (a source whose clock jumped). */
function shifted(k: number, shiftSec: number): { moof: Box; mdat: Box } {
  const f = fragments[k]!;
  const frag = parseFragment(f.moof);
  const ticks = frag.baseDecodeTime + BigInt(Math.round(shiftSec * info.timescale));
  const bytes = withDecodeTime(f.moof.bytes, frag, ticks);
  return { moof: { type: 'moof', bytes, headerSize: f.moof.headerSize }, mdat: f.mdat };
}

/** Decode time and duration of every frame the packager published, in order. */
function publishedFrames(packager: LlHlsPackager): { start: bigint; duration: number }[] {
  const frames: { start: bigint; duration: number }[] = [];
  for (const segment of packager.completeSegments()) {
    for (const part of segment.parts) {
      for (const box of new BoxSplitter().push(part.bytes)) {
        if (box.type !== 'moof') continue;
        const frame = parseFragment(box);
        frames.push({ start: frame.baseDecodeTime, duration: frame.duration });
      }
    }
  }
  return frames;
}

/** Where the published timeline does not continue from the frame before: [index, gap in s]. */
function gaps(packager: LlHlsPackager): [number, number][] {
  const frames = publishedFrames(packager);
  const found: [number, number][] = [];
  for (let i = 1; i < frames.length; i++) {
    const expected = frames[i - 1]!.start + BigInt(frames[i - 1]!.duration);
    const gap = Number(frames[i]!.start - expected) / info.timescale;
    if (gap !== 0) found.push([i, gap]);
  }
  return found;
}

/** What a promise has settled to once the current events have run, or 'pending'. */
async function settledNow<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('LL-HLS packager', () => {
  it('cuts parts of at most the part target, starting a part at every keyframe', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 150);
    const { manifest, warnings } = parsePlaylist(packager.livePlaylist()!);
    expect(warnings).toEqual([]);
    expect(manifest.partTargetDuration).toBe(0.2);
    expect(manifest.serverControl?.canBlockReload).toBe(true);
    expect(manifest.serverControl?.partHoldBack).toBeCloseTo(0.6, 6);
    const parts = allParts(manifest);
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) {
      expect(part.duration).toBeLessThanOrEqual(0.2 + 1e-9);
      // 25 fps: five frames per part.
      expect(part.duration).toBeCloseTo(0.2, 5);
    }
    // A keyframe every 25 frames = every fifth part, and only those are independent.
    const independent = parts.map((p) => p.independent === true);
    const firstSeq = Number(/part-(\d+)/.exec(parts[0]!.uri)![1]);
    independent.forEach((flag, i) => expect(flag).toBe((firstSeq + i) % 5 === 0));
  });

  it('cuts segments on keyframes, lists EXTINF as the sum of their parts, and hints the next part', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 140);
    const { manifest } = parsePlaylist(packager.livePlaylist()!);
    expect(manifest.targetDuration).toBe(2);
    // The run's first segment is its first part, the next runs to the first keyframe (below).
    expect(manifest.segments.slice(0, 2).map((s) => s.duration)).toEqual([
      expect.closeTo(0.2, 5),
      expect.closeTo(0.8, 5),
    ]);
    for (const segment of manifest.segments.slice(2)) {
      expect(segment.duration).toBeCloseTo(1, 5);
      expect(segment.duration).toBeLessThanOrEqual(manifest.targetDuration);
      if (segment.parts) {
        expect(segment.parts[0]!.independent).toBe(true);
        const sum = segment.parts.reduce((s, p) => s + p.duration, 0);
        expect(sum).toBeCloseTo(segment.duration, 5);
      }
    }
    // Frames 125..139 are the open segment: three published parts, then a hint for the fourth.
    const open = manifest.preloadSegment!;
    expect(open.parts).toHaveLength(3);
    const lastPart = Number(/part-(\d+)/.exec(open.parts![2]!.uri)![1]);
    expect(open.preloadHints).toEqual([
      expect.objectContaining({ type: 'PART', uri: `part-${lastPart + 1}.m4s` }),
    ]);
    // Only the newest segments list their parts.
    expect(manifest.segments.filter((s) => s.parts).length).toBe(2);
  });

  it('stamps PROGRAM-DATE-TIME from the ingest clock, ignoring late arrivals', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    // Most frames arrive up to 35 ms late; every fourth on time.
    feed(packager, 0, 150, T0, (k) => (k % 4 === 0 ? 0 : (k * 7919) % 36));
    let firstFrame = 0;
    for (const segment of packager.completeSegments()) {
      expect(Math.abs(segment.pdtMs - (T0 + firstFrame * FRAME_MS))).toBeLessThanOrEqual(1);
      firstFrame += segment.parts.reduce((n, p) => n + p.frames, 0);
    }
    const { manifest } = parsePlaylist(packager.livePlaylist()!);
    for (const segment of manifest.segments) {
      expect(segment.dateTimeString).toMatch(/^2026-03-01T10:00:0\d\.\d{3}Z$/);
    }
  });

  it('keeps PROGRAM-DATE-TIME continuous when the source starts with a burst of its last GOP', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    // Frames 0-19 (a GOP cache) arrive at once at T0; from frame 20 on, one per frame time.
    for (let k = 0; k < 90; k++) {
      const f = fragments[k]!;
      packager.pushFragment(f.moof, f.mdat, T0 + Math.max(0, k - 19) * FRAME_MS);
    }
    const segments = packager.completeSegments();
    expect(segments.length).toBeGreaterThan(3);
    for (let i = 1; i < segments.length; i++) {
      const gap = segments[i]!.pdtMs - segments[i - 1]!.pdtMs;
      expect(Math.abs(gap - segments[i - 1]!.durationSec * 1000)).toBeLessThanOrEqual(1);
    }
    // Frame 19 had just ended when the burst arrived: frame 0 began twenty frames earlier.
    expect(Math.abs(segments[0]!.pdtMs - (T0 - 20 * FRAME_MS))).toBeLessThanOrEqual(1);
  });

  it('moves only the new run’s stamps when a restarted source begins with a burst', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 60);
    packager.endRun();
    const before = packager.completeSegments().map((s) => ({ pdtMs: s.pdtMs, endMs: s.endMs }));
    // The restarted source sends its cached GOP at once, 100 ms after the first run ended: its
    // frames began before that end, on a timeline of their own after the discontinuity.
    const burstAt = T0 + 60 * FRAME_MS + 100;
    packager.startRun(init, info);
    for (let k = 0; k < 90; k++) {
      const f = fragments[k]!;
      packager.pushFragment(f.moof, f.mdat, burstAt + Math.max(0, k - 19) * FRAME_MS);
    }
    const segments = packager.completeSegments();
    expect(
      segments.slice(0, before.length).map((s) => ({ pdtMs: s.pdtMs, endMs: s.endMs })),
    ).toEqual(before);
    const restarted = segments.slice(before.length);
    expect(restarted[0]!.discontinuity).toBe(true);
    expect(Math.abs(restarted[0]!.pdtMs - (burstAt - 20 * FRAME_MS))).toBeLessThanOrEqual(1);
    for (let i = 1; i < restarted.length; i++) {
      const gap = restarted[i]!.pdtMs - restarted[i - 1]!.pdtMs;
      expect(Math.abs(gap - restarted[i - 1]!.durationSec * 1000)).toBeLessThanOrEqual(1);
    }
    // A segment moved back keeps its length: its end moves with its start.
    for (const s of segments) expect(s.endMs - s.pdtMs).toBe(Math.round(1000 * s.durationSec));
  });

  it('publishes a part as soon as it is full and wakes a blocked request for it', async () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 27);
    // Segment 2 has started (keyframe at frame 25; 0 and 1 were the run's first part and the
    // rest of its first GOP): its part 0 is still filling.
    expect(packager.hasPart(2, 0)).toBe(false);
    const waiting = packager.until(() => packager.hasPart(2, 0), 5000);
    const nextOne = packager.until(() => packager.hasPart(2, 1), 5000);
    feed(packager, 27, 29, T0 + 27 * FRAME_MS);
    expect(packager.hasPart(2, 0)).toBe(false);
    feed(packager, 29, 30, T0 + 29 * FRAME_MS);
    // The fifth frame completes the part: published without waiting for frame 30.
    expect(packager.hasPart(2, 0)).toBe(true);
    await expect(waiting).resolves.toBe(true);
    // A request for the part after it keeps waiting through that publish, until its own.
    expect(await settledNow(nextOne)).toBe('pending');
    feed(packager, 30, 35, T0 + 30 * FRAME_MS);
    expect(await settledNow(nextOne)).toBe(true);
    expect(packager.hasPart(1, null)).toBe(true);
    expect(packager.hasPart(2, null)).toBe(false);
  });

  it("completes a run's first segment with its first part, so a player can join at once", () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 4);
    // Four frames: no part yet, nothing a player could be given.
    expect(packager.readyToJoin).toBe(false);
    expect(packager.livePlaylist()).toBeNull();
    feed(packager, 4, 5, T0 + 4 * FRAME_MS);
    // The fifth frame fills the first part: the playlist lists a complete segment (hls.js plays
    // nothing before one), whose one part starts on the keyframe.
    expect(packager.readyToJoin).toBe(true);
    const first = parsePlaylist(packager.livePlaylist()!).manifest;
    expect(first.segments).toHaveLength(1);
    expect(first.segments[0]!.duration).toBeCloseTo(0.2, 5);
    expect(first.segments[0]!.parts).toEqual([expect.objectContaining({ independent: true })]);
    // The rest of the first GOP is one segment ending at the next keyframe; then whole GOPs.
    feed(packager, 5, 60, T0 + 5 * FRAME_MS);
    expect(packager.completeSegments().map((s) => Math.round(s.durationSec * 10) / 10)).toEqual([
      0.2, 0.8, 1,
    ]);
    expect(packager.completeSegments().every((s, i) => i === 1 || s.parts[0]!.independent)).toBe(
      true,
    );
    // A restart's run starts the same way.
    packager.endRun();
    packager.startRun(init, info);
    feed(packager, 0, 5, T0 + 5000);
    const restarted = packager.completeSegments().at(-1)!;
    expect(restarted.discontinuity).toBe(true);
    expect(restarted.parts).toHaveLength(1);
  });

  it('gives up a blocked request when the stream ends', async () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 10);
    const waiting = packager.until(() => packager.hasPart(5, 0), 5000);
    packager.end();
    await expect(waiting).resolves.toBe(false);
  });

  it('continues one timeline across an ffmpeg restart and marks the discontinuity', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 60);
    packager.endRun();
    const before = packager.completeSegments();
    const lastBefore = before[before.length - 1]!;
    const endTicks =
      parseFragment({
        type: 'moof',
        bytes: lastBefore.parts[0]!.bytes,
        headerSize: 8,
      }).baseDecodeTime + BigInt(Math.round(lastBefore.durationSec * info.timescale));
    // The new run's source timestamps start over from zero.
    packager.startRun(init, info);
    feed(packager, 0, 60, T0 + 5000);
    const after = packager.completeSegments().find((s) => s.msn > lastBefore.msn)!;
    expect(after.discontinuity).toBe(true);
    const firstMoof = parseFragment({ type: 'moof', bytes: after.parts[0]!.bytes, headerSize: 8 });
    expect(firstMoof.baseDecodeTime).toBe(endTicks);
    const { manifest, warnings } = parsePlaylist(packager.livePlaylist()!);
    expect(warnings).toEqual([]);
    const timelines = new Set(manifest.segments.map((s) => s.timeline));
    expect(timelines.size).toBe(2);
    expect(manifest.segments.filter((s) => s.map).map((s) => s.map!.uri)).toContain('init-1.mp4');
    expect(after.pdtMs).toBeGreaterThanOrEqual(T0 + 5000);
  });

  it('keeps only the ring buffer and counts evicted discontinuities', () => {
    const packager = new LlHlsPackager({ ringSeconds: 2 });
    for (let run = 0; run < 3; run++) {
      packager.startRun(init, info);
      feed(packager, 0, 150, T0 + run * 10_000);
      packager.endRun();
    }
    const ring = packager.completeSegments();
    const total = ring.reduce((s, seg) => s + seg.durationSec, 0);
    expect(total).toBeLessThanOrEqual(2 + 1 + 1e-9);
    expect(ring[0]!.msn).toBeGreaterThan(0);
    expect(packager.part(0)).toBeUndefined();
    const { manifest } = parsePlaylist(packager.livePlaylist()!);
    expect(manifest.discontinuitySequence).toBe(packager.discontinuitiesBefore(ring[0]!.msn));
    expect(manifest.discontinuitySequence).toBe(2);
  });

  it('renders a replay as a VOD playlist', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 150);
    const segments = packager.completeSegments().slice(-3);
    const { manifest, warnings } = parsePlaylist(packager.vodPlaylist(segments));
    expect(warnings).toEqual([]);
    expect(manifest.endList).toBe(true);
    expect(manifest.playlistType).toBe('VOD');
    expect(manifest.segments.map((s) => s.uri)).toEqual(segments.map((s) => `seg-${s.msn}.m4s`));
  });

  it('starts a replay on a keyframe', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 80);
    // 0.2 + 0.8 + 1 + 1 s complete: two seconds reach into the segment without a keyframe.
    expect(packager.lastSeconds(2).map((s) => s.msn)).toEqual([2, 3]);
    expect(packager.lastSeconds(2.5).map((s) => s.msn)).toEqual([0, 1, 2, 3]);
    expect(packager.lastSeconds(1).map((s) => s.msn)).toEqual([3]);
    // More than the ring holds: all of it.
    expect(packager.lastSeconds(100).map((s) => s.msn)).toEqual([0, 1, 2, 3]);
  });

  it('starts a replay at the oldest segment when that one has no keyframe to start from', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    // The source starts mid-GOP: its first segment runs from frame 3 to the keyframe at 25.
    feed(packager, 3, 80);
    const complete = packager.completeSegments();
    expect(complete.map((s) => s.parts[0]!.independent)).toEqual([false, true, true]);
    expect(packager.lastSeconds(2).map((s) => s.msn)).toEqual([1, 2]);
    expect(packager.lastSeconds(2.5).map((s) => s.msn)).toEqual([0, 1, 2]);
    expect(packager.lastSeconds(100).map((s) => s.msn)).toEqual([0, 1, 2]);
  });

  it('lets a player join as soon as the run’s first segment (its first part) is complete, whatever the hold-back', () => {
    // hls.js plays nothing from a playlist without a complete segment, and a cold tile should not
    // wait for a whole GOP: a run's first segment is its first part (docs/decisions/0009).
    const firstReady = (packager: LlHlsPackager): number => {
      packager.startRun(init, info);
      for (let k = 0; k < 60; k++) {
        feed(packager, k, k + 1, T0 + k * FRAME_MS);
        if (packager.readyToJoin) return k;
      }
      return -1;
    };
    // A part is 0.2 s, five frames: frames 0-4 close it.
    expect(firstReady(new LlHlsPackager({ partHoldBackSec: 1.2 }))).toBe(4);
    expect(firstReady(new LlHlsPackager())).toBe(4);
    // And stays ready while the next segment is being filled.
    const joined = new LlHlsPackager();
    joined.startRun(init, info);
    feed(joined, 0, 12);
    expect(joined.readyToJoin).toBe(true);
    // And not a frame earlier.
    const early = new LlHlsPackager();
    early.startRun(init, info);
    feed(early, 0, 4);
    expect(early.readyToJoin).toBe(false);
  });

  it('keeps one continuous timeline when the source clock jumps forward mid-run', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 60);
    // A camera that reboots its clock: the same run, decode times 1000 s later.
    for (let k = 60; k < 130; k++) {
      const f = shifted(k, 1000);
      packager.pushFragment(f.moof, f.mdat, T0 + (k + 1) * FRAME_MS);
    }
    packager.endRun();
    expect(gaps(packager)).toEqual([]);
    expect(publishedFrames(packager)).toHaveLength(130);
    expect(packager.completeSegments().some((s) => s.discontinuity)).toBe(false);
    const { manifest, warnings } = parsePlaylist(packager.livePlaylist()!);
    expect(warnings).toEqual([]);
    expect(new Set(manifest.segments.map((s) => s.timeline)).size).toBe(1);
    expect(manifest.discontinuitySequence ?? 0).toBe(0);
  });

  it('starts its timeline at zero whatever decode time the source starts from', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    // A camera that has been running for a while: its first frame is stamped 500 s.
    for (let k = 0; k < 60; k++) {
      const f = shifted(k, 500);
      packager.pushFragment(f.moof, f.mdat, T0 + (k + 1) * FRAME_MS);
    }
    packager.endRun();
    const frames = publishedFrames(packager);
    expect(frames[0]!.start).toBe(0n);
    expect(gaps(packager)).toEqual([]);
    expect(frames).toHaveLength(60);
  });

  it('keeps one continuous timeline when the source clock goes back (a looped file)', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 75);
    // The file starts over inside the same run: decode times fall back to zero.
    for (let k = 0; k < 75; k++) {
      const f = fragments[k]!;
      packager.pushFragment(f.moof, f.mdat, T0 + (75 + k + 1) * FRAME_MS);
    }
    packager.endRun();
    expect(gaps(packager)).toEqual([]);
    expect(publishedFrames(packager)).toHaveLength(150);
    expect(packager.completeSegments().some((s) => s.discontinuity)).toBe(false);
  });

  it('plays a short gap in the source (dropped frames) as the gap it is', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 50);
    // Frames 50..59 never arrive: 0.4 s, under the one-second limit, stays on the timeline.
    feed(packager, 60, 100, T0 + 60 * FRAME_MS);
    packager.endRun();
    const found = gaps(packager);
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toBe(50);
    expect(found[0]![1]).toBeCloseTo(0.4, 6);
    // Each segment keeps the wall time of its first frame: the one after the gap starts 0.4 s
    // after the one before it ends, and none is moved to close that gap.
    const firstFrames = [0, 5, 25, 75];
    expect(packager.completeSegments().map((s) => s.pdtMs)).toEqual(
      firstFrames.map((k) => expect.closeTo(T0 + k * FRAME_MS, 0)),
    );
  });

  it('plays a gap of exactly one second as the gap it is, and closes a longer one', () => {
    const oneSecond = new LlHlsPackager();
    oneSecond.startRun(init, info);
    feed(oneSecond, 0, 50);
    feed(oneSecond, 75, 100, T0 + 75 * FRAME_MS);
    oneSecond.endRun();
    expect(gaps(oneSecond)).toEqual([[50, 1]]);
    const longer = new LlHlsPackager();
    longer.startRun(init, info);
    feed(longer, 0, 50);
    feed(longer, 76, 100, T0 + 76 * FRAME_MS);
    longer.endRun();
    expect(gaps(longer)).toEqual([]);
  });

  it('gives the decodable point of the newest run after a restart, never one across runs', () => {
    const packager = new LlHlsPackager();
    const first = packager.startRun(init, info);
    feed(packager, 0, 40);
    packager.endRun();
    const before = packager.latestDecodable()!;
    expect(before.init.id).toBe(first.id);
    expect(before.parts[0]!.independent).toBe(true);
    expect(before.parts.reduce((n, p) => n + p.frames, 0)).toBe(15);

    // The restarted source begins mid-GOP: nothing of the new run decodes yet, and the old run's
    // keyframe with the new run's frames is no picture either.
    const second = packager.startRun(init, info);
    feed(packager, 3, 20, T0 + 5000);
    expect(packager.latestDecodable()).toBeNull();

    // Its first keyframe (frame 25) makes a decodable point under the new init.
    feed(packager, 25, 37, T0 + 6000);
    const after = packager.latestDecodable()!;
    expect(after.init.id).toBe(second.id);
    expect(after.parts[0]!.independent).toBe(true);
    expect(after.parts.every((p) => p.msn > before.parts[0]!.msn + 1)).toBe(true);
    expect(after.parts.reduce((n, p) => n + p.frames, 0)).toBe(10);
  });

  it('refuses settings a player could not use, naming them', () => {
    expect(() => new LlHlsPackager({ partTargetSec: 0.2, partHoldBackSec: 0.39 })).toThrow(
      'PART-HOLD-BACK must be at least twice the part target',
    );
    expect(new LlHlsPackager({ partTargetSec: 0.2, partHoldBackSec: 0.4 }).partHoldBackSec).toBe(
      0.4,
    );
    expect(() => new LlHlsPackager({ segmentMinSec: 2.5, targetDurationSec: 2 })).toThrow(
      'segmentMinSec must not exceed targetDurationSec',
    );
    expect(new LlHlsPackager({ segmentMinSec: 2, targetDurationSec: 2 }).segmentMinSec).toBe(2);
    const f = fragments[0]!;
    expect(() => new LlHlsPackager().pushFragment(f.moof, f.mdat, T0)).toThrow(
      'a fragment arrived before its init segment',
    );
  });

  it('has nothing to offer before the first frame', () => {
    const packager = new LlHlsPackager();
    expect(packager.headMsn).toBe(-1);
    expect(packager.hasMedia).toBe(false);
    expect(packager.hasPart(0, 0)).toBe(false);
    expect(packager.hasPart(0, null)).toBe(false);
    expect(packager.livePlaylist()).toBeNull();
    expect(packager.latestDecodable()).toBeNull();
    expect(packager.isEnded).toBe(false);
    packager.startRun(init, info);
    feed(packager, 0, 3);
    // Three frames: the first part is still filling.
    expect(packager.headMsn).toBe(-1);
    expect(packager.hasMedia).toBe(false);
    feed(packager, 3, 5, T0 + 3 * FRAME_MS);
    expect(packager.headMsn).toBe(0);
    expect(packager.hasMedia).toBe(true);
    expect(packager.hasPart(0, 0)).toBe(true);
    expect(packager.hasPart(0, null)).toBe(true);
    // Segment 1 is open with its first part published: it is the head.
    feed(packager, 5, 11, T0 + 5 * FRAME_MS);
    expect(packager.headMsn).toBe(1);
    expect(packager.hasPart(1, 0)).toBe(true);
    expect(packager.hasPart(1, 1)).toBe(false);
    expect(packager.hasPart(1, null)).toBe(false);
  });

  it('waits for a condition: at once when it holds, until it holds, or gives up', async () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 10);
    await expect(packager.until(() => true, 10_000)).resolves.toBe(true);
    // Becomes true when a part is published.
    // Segment 0 is the run's first part; segment 1 runs to the keyframe at frame 25.
    const later = packager.until(() => packager.hasPart(1, 1), 10_000);
    feed(packager, 10, 15, T0 + 10 * FRAME_MS);
    await expect(later).resolves.toBe(true);
    // A timeout, an abort (before or during the wait) and the end all answer false.
    await expect(packager.until(() => false, 1)).resolves.toBe(false);
    const aborted = new AbortController();
    aborted.abort();
    expect(await settledNow(packager.until(() => false, 60_000, aborted.signal))).toBe(false);
    const leaving = new AbortController();
    const waiting = packager.until(() => false, 60_000, leaving.signal);
    expect(await settledNow(waiting)).toBe('pending');
    leaving.abort();
    expect(await settledNow(waiting)).toBe(false);
    // An abort after the answer changes nothing; the signal is left with no listener.
    const answered = new AbortController();
    const removed: string[] = [];
    const removeListener = answered.signal.removeEventListener.bind(answered.signal);
    answered.signal.removeEventListener = ((type: string, listener: () => void) => {
      removed.push(type);
      removeListener(type, listener);
    }) as AbortSignal['removeEventListener'];
    const next = packager.until(() => packager.hasPart(1, 2), 10_000, answered.signal);
    feed(packager, 15, 20, T0 + 15 * FRAME_MS);
    await expect(next).resolves.toBe(true);
    expect(removed).toEqual(['abort']);
    const ending = packager.until(() => false, 60_000);
    packager.end();
    expect(await settledNow(ending)).toBe(false);
    expect(packager.isEnded).toBe(true);
    expect(await settledNow(packager.until(() => false, 60_000))).toBe(false);
  });

  it('tells the part being filled and the hinted one from parts that will never exist', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 12);
    // Parts 0 and 1 are published, part 2 is filling, part 3 is the one after.
    expect(packager.part(1)).toBeDefined();
    expect(packager.isUpcomingPart(1)).toBe(false);
    expect(packager.isUpcomingPart(2)).toBe(true);
    expect(packager.isUpcomingPart(3)).toBe(true);
    expect(packager.isUpcomingPart(4)).toBe(false);
    expect(packager.isUpcomingPart(0)).toBe(false);
    expect(packager.part(2)).toBeUndefined();
    packager.end();
    expect(packager.isUpcomingPart(2)).toBe(false);
    expect(packager.isUpcomingPart(3)).toBe(false);
  });

  it('finds segments and inits by number, and forgets an init no segment uses', () => {
    const packager = new LlHlsPackager({ ringSeconds: 2 });
    const first = packager.startRun(init, info);
    feed(packager, 0, 80);
    expect(packager.segment(1)?.msn).toBe(1);
    expect(packager.segment(99)).toBeUndefined();
    expect(packager.init(first.id)).toBe(first);
    const second = packager.startRun(init, info);
    feed(packager, 0, 10, T0 + 10_000);
    // Both runs' segments are in the ring: both inits are at hand.
    expect(packager.completeSegments()[0]!.init.id).toBe(first.id);
    expect(packager.init(first.id)).toBe(first);
    expect(packager.init(second.id)).toBe(second);
    feed(packager, 10, 150, T0 + 10_000 + 10 * FRAME_MS);
    // The first run's segments left the ring, and its init with them; the running one's stays.
    expect(packager.completeSegments().every((s) => s.init.id === second.id)).toBe(true);
    expect(packager.init(first.id)).toBeUndefined();
    expect(packager.init(second.id)).toBe(second);
  });

  it('never lets a segment outgrow the target duration, even without keyframes', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    // Every keyframe lost on the way: 150 frames, none of them a keyframe, each in its place.
    for (let k = 0; k < 150; k++) {
      if (k % 25 === 0) continue;
      const f = fragments[k]!;
      packager.pushFragment(f.moof, f.mdat, T0 + (k + 1) * FRAME_MS);
    }
    const segments = packager.completeSegments();
    expect(segments.length).toBeGreaterThanOrEqual(2);
    for (const s of segments) {
      // Cut at the target duration, not a frame before it: 50 frames of 40 ms.
      expect(s.durationSec).toBeCloseTo(2, 6);
      for (const p of s.parts) expect(p.durationSec).toBeLessThanOrEqual(0.2 + 1e-9);
      // The wall time of its end follows from its start and length.
      expect(s.endMs - s.pdtMs).toBe(Math.round(1000 * s.durationSec));
    }
  });

  it('counts the discontinuities before a segment, evicted ones included', () => {
    const packager = new LlHlsPackager();
    const firsts: number[] = [];
    for (let run = 0; run < 3; run++) {
      const before = packager.completeSegments().at(-1)?.msn ?? -1;
      packager.startRun(init, info);
      feed(packager, 0, 30, T0 + run * 10_000);
      // The run's own first segment.
      firsts.push(packager.completeSegments().find((seg) => seg.msn > before)!.msn);
      packager.endRun();
    }
    expect(firsts.map((msn) => packager.discontinuitiesBefore(msn))).toEqual([0, 0, 1]);
    expect(packager.discontinuitiesBefore(99)).toBe(2);
  });

  it('marks a restart only where media came before it, with or without an endRun between', () => {
    const packager = new LlHlsPackager();
    // A run that never delivered a frame is no discontinuity.
    packager.startRun(init, info);
    packager.endRun();
    packager.startRun(init, info);
    feed(packager, 0, 30);
    expect(packager.completeSegments()[0]!.discontinuity).toBe(false);
    // A new run started over a running one closes it and marks the seam.
    const third = packager.startRun(init, info);
    feed(packager, 0, 30, T0 + 5000);
    const after = packager.completeSegments();
    expect(after.filter((s) => s.discontinuity)).toEqual([
      after.find((s) => s.init.id === third.id),
    ]);
  });

  it('lists the last three target durations of segments in the live playlist', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 150);
    packager.endRun();
    packager.startRun(init, info);
    feed(packager, 0, 150, T0 + 10_000);
    // Each run: its first part (0.2 s), the rest of its first GOP (0.8 s), then one-second
    // segments; thirteen complete. Three target durations (6 s) are listed: 1 + 0.2 + 0.8 + 4 x 1.
    const complete = packager.completeSegments();
    expect(complete).toHaveLength(13);
    const { manifest } = parsePlaylist(packager.livePlaylist()!);
    expect(manifest.targetDuration).toBe(2);
    expect(manifest.segments).toHaveLength(7);
    expect(manifest.mediaSequence).toBe(complete[6]!.msn);
    expect(manifest.segments.map((s) => s.uri)).toEqual(
      complete.slice(6).map((s) => `seg-${s.msn}.m4s`),
    );
  });

  it('still answers a request for a part older than the ring holds (it is "or later")', () => {
    const packager = new LlHlsPackager({ ringSeconds: 2 });
    packager.startRun(init, info);
    feed(packager, 0, 150);
    expect(packager.segment(0)).toBeUndefined();
    expect(packager.hasPart(0, 0)).toBe(true);
    expect(packager.hasPart(0, null)).toBe(true);
    // Its part is gone for good, not one to wait for.
    expect(packager.part(0)).toBeUndefined();
    expect(packager.isUpcomingPart(0)).toBe(false);
  });

  it('cuts segments at keyframes when the part target does not divide the GOP', () => {
    const packager = new LlHlsPackager({ partTargetSec: 0.3 });
    packager.startRun(init, info);
    feed(packager, 0, 150);
    // Seven frames to a part (0.28 s; an eighth would overflow), four before each keyframe.
    const complete = packager.completeSegments();
    expect(complete.map((s) => Math.round(s.durationSec * 100) / 100)).toEqual([
      0.28, 0.72, 1, 1, 1, 1,
    ]);
    for (const s of complete.slice(2)) {
      expect(s.parts.map((p) => p.frames)).toEqual([7, 7, 7, 4]);
      expect(s.parts.map((p) => p.independent)).toEqual([true, false, false, false]);
    }
  });

  it('cuts a segment at the first keyframe once it is segmentMinSec long, not at every one', () => {
    const packager = new LlHlsPackager({ segmentMinSec: 1.5, targetDurationSec: 3 });
    packager.startRun(init, info);
    feed(packager, 0, 150);
    // One-second GOPs: after the run's first part and the rest of its GOP, two GOPs a segment.
    expect(packager.completeSegments().map((s) => Math.round(s.durationSec * 10) / 10)).toEqual([
      0.2, 0.8, 2, 2,
    ]);
  });

  it('starts a part at every keyframe, several to a part target, and joins within the first GOP', () => {
    const packager = new LlHlsPackager();
    packager.startRun(shortGop.init, shortGop.info);
    const push = (from: number, to: number) => {
      for (let k = from; k < to; k++) {
        const f = shortGop.fragments[k]!;
        packager.pushFragment(f.moof, f.mdat, T0 + (k + 1) * FRAME_MS);
      }
    };
    // A keyframe every third frame: the first part ends at the second keyframe, and the run's
    // first segment with it, so a player can join at once.
    push(0, 5);
    expect(packager.readyToJoin).toBe(true);
    expect(packager.completeSegments()[0]!.durationSec).toBeLessThanOrEqual(0.2 + 1e-9);
    push(5, 50);
    const segments = packager.completeSegments();
    expect(segments.length).toBeGreaterThan(2);
    for (const s of segments.slice(2)) {
      // Each part is one GOP of three frames, starting on its keyframe.
      expect(s.parts.every((p) => p.independent && p.frames === 3)).toBe(true);
      expect(s.durationSec).toBeGreaterThanOrEqual(1 - 1e-9);
    }
  });

  it('numbers discontinuities from the first segment the live playlist lists', () => {
    const packager = new LlHlsPackager();
    for (let run = 0; run < 3; run++) {
      packager.startRun(init, info);
      feed(packager, 0, 150, T0 + run * 10_000);
      if (run < 2) packager.endRun();
    }
    // Six seconds are listed: the third run and the end of the second, after the second's start.
    const { manifest, warnings } = parsePlaylist(packager.livePlaylist()!);
    expect(warnings).toEqual([]);
    const firstListed = packager.segment(manifest.mediaSequence!)!;
    expect(firstListed.init.id).toBe(1);
    expect(manifest.discontinuitySequence).toBe(1);
  });

  it('lists the open segment alone while a run that started mid-GOP has no complete one', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 3, 15);
    expect(packager.completeSegments()).toEqual([]);
    expect(packager.readyToJoin).toBe(false);
    const { manifest, warnings } = parsePlaylist(packager.livePlaylist()!);
    expect(warnings).toEqual([]);
    expect(manifest.mediaSequence).toBe(0);
    expect(manifest.segments).toEqual([]);
    expect(manifest.preloadSegment!.parts).toHaveLength(2);
  });

  it('finds the decodable point in an earlier segment when the newest has no keyframe', () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    // A keyframe at frame 0, then none: after the run's first part, the segment is cut at two
    // seconds, and the next one holds no keyframe.
    for (let k = 0; k < 70; k++) {
      if (k > 0 && k % 25 === 0) continue;
      const f = fragments[k]!;
      packager.pushFragment(f.moof, f.mdat, T0 + (k + 1) * FRAME_MS);
    }
    const segments = packager.completeSegments();
    expect(segments).toHaveLength(2);
    const decodable = packager.latestDecodable()!;
    expect(decodable).not.toBeNull();
    expect(decodable.parts[0]!.independent).toBe(true);
    expect(decodable.parts[0]!.msn).toBe(segments[0]!.msn);
    expect(decodable.parts.at(-1)!.msn).toBe(segments[1]!.msn + 1);
  });
});
