import { beforeAll, describe, expect, it } from 'vitest';
import {
  BoxSplitter,
  parseFragment,
  parseInit,
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

beforeAll(async () => {
  const boxes = new BoxSplitter().push(await makeFragmentedSample(6));
  const ftyp = boxes.find((b) => b.type === 'ftyp')!;
  const moov = boxes.find((b) => b.type === 'moov')!;
  init = Buffer.concat([ftyp.bytes, moov.bytes]);
  info = parseInit(moov);
  fragments = [];
  for (let i = 0; i < boxes.length; i++) {
    if (boxes[i]!.type === 'moof') fragments.push({ moof: boxes[i]!, mdat: boxes[i + 1]! });
  }
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

  it('publishes a part as soon as it is full and wakes a blocked request for it', async () => {
    const packager = new LlHlsPackager();
    packager.startRun(init, info);
    feed(packager, 0, 27);
    // Segment 2 has started (keyframe at frame 25; 0 and 1 were the run's first part and the
    // rest of its first GOP): its part 0 is still filling.
    expect(packager.hasPart(2, 0)).toBe(false);
    const waiting = packager.until(() => packager.hasPart(2, 0), 5000);
    feed(packager, 27, 29, T0 + 27 * FRAME_MS);
    expect(packager.hasPart(2, 0)).toBe(false);
    feed(packager, 29, 30, T0 + 29 * FRAME_MS);
    // The fifth frame completes the part: published without waiting for frame 30.
    expect(packager.hasPart(2, 0)).toBe(true);
    await expect(waiting).resolves.toBe(true);
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
  });
});
