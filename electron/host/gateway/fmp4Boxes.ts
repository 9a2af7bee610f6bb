/**
 * Just enough of ISO BMFF (fragmented MP4) to package ffmpeg's output as LL-HLS: split the byte
 * stream into top-level boxes, read the init segment's timescale and codec, read each fragment's
 * decode time, sample durations and keyframe flags, and rewrite a fragment's decode time so that
 * the timeline stays continuous when ffmpeg is restarted. Everything else is left to the players.
 */

export interface Box {
  readonly type: string;
  /** The whole box, header included. */
  readonly bytes: Uint8Array;
  /** Offset of the payload (after size, type and any largesize) inside `bytes`. */
  readonly headerSize: number;
}

export class BoxFormatError extends Error {}

function readType(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Boxes larger than this are not video fragments of a live camera: the stream is corrupt. */
const MAX_BOX_BYTES = 64 * 1024 * 1024;

/** Reads the header of the box at `offset`; null when the header is not complete yet. */
function boxHeader(
  view: DataView,
  offset: number,
): { size: number; type: string; headerSize: number } | null {
  if (view.byteLength - offset < 8) return null;
  let size = view.getUint32(offset);
  const type = readType(view, offset + 4);
  let headerSize = 8;
  if (size === 1) {
    if (view.byteLength - offset < 16) return null;
    const big = view.getBigUint64(offset + 8);
    if (big > BigInt(MAX_BOX_BYTES)) throw new BoxFormatError(`box ${type} is too large`);
    size = Number(big);
    headerSize = 16;
  } else if (size === 0) {
    throw new BoxFormatError(`box ${type} runs to end of stream, which a live stream cannot do`);
  }
  if (size < headerSize) throw new BoxFormatError(`box ${type} has an impossible size ${size}`);
  if (size > MAX_BOX_BYTES) throw new BoxFormatError(`box ${type} is too large`);
  return { size, type, headerSize };
}

/**
 * Splits a byte stream (a pipe's chunks, cut anywhere) into complete top-level boxes.
 */
export class BoxSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  push(chunk: Uint8Array): Box[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    // A large box (a keyframe's mdat) arrives over several reads: join the pieces once, when the
    // whole box is here, not on every read.
    if (this.pending.length > 1) {
      const needed = this.firstBoxSize();
      if (needed === null || this.pendingBytes < needed) return [];
    }
    const out: Box[] = [];
    let buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
    let offset = 0;
    for (;;) {
      const header = boxHeader(viewOf(buffer), offset);
      if (!header || buffer.byteLength - offset < header.size) break;
      out.push({
        type: header.type,
        bytes: buffer.subarray(offset, offset + header.size),
        headerSize: header.headerSize,
      });
      offset += header.size;
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer.byteLength > 0 ? [buffer] : [];
    this.pendingBytes = buffer.byteLength;
    return out;
  }

  /** Size of the first pending box, once its header (at most 16 bytes) has arrived. */
  private firstBoxSize(): number | null {
    const first = this.pending[0]!;
    const head =
      first.byteLength >= 16
        ? first
        : Buffer.concat(this.pending, Math.min(16, this.pendingBytes)).subarray(0, 16);
    return boxHeader(viewOf(head), 0)?.size ?? null;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

/** The child boxes of a container box's payload. */
export function childBoxes(box: Box): Box[] {
  const payload = box.bytes.subarray(box.headerSize);
  const view = viewOf(payload);
  const out: Box[] = [];
  let offset = 0;
  while (offset < payload.byteLength) {
    const header = boxHeader(view, offset);
    if (!header || offset + header.size > payload.byteLength) {
      throw new BoxFormatError(`box ${box.type} has a truncated child`);
    }
    out.push({
      type: header.type,
      bytes: payload.subarray(offset, offset + header.size),
      headerSize: header.headerSize,
    });
    offset += header.size;
  }
  return out;
}

function child(box: Box, type: string): Box | undefined {
  return childBoxes(box).find((b) => b.type === type);
}

function requireChild(box: Box, type: string): Box {
  const found = child(box, type);
  if (!found) throw new BoxFormatError(`box ${box.type} has no ${type}`);
  return found;
}

export interface InitInfo {
  /** Ticks per second of the video track's media timeline. */
  readonly timescale: number;
  readonly trackId: number;
  /** The sample entry's four-character code: avc1/avc3 for H.264, hvc1/hev1 for H.265. */
  readonly codec: string;
  readonly width: number;
  readonly height: number;
}

/** Reads the first video track of a moov box. */
export function parseInit(moov: Box): InitInfo {
  if (moov.type !== 'moov') throw new BoxFormatError(`expected moov, got ${moov.type}`);
  for (const trak of childBoxes(moov).filter((b) => b.type === 'trak')) {
    const mdia = requireChild(trak, 'mdia');
    const hdlr = requireChild(mdia, 'hdlr');
    // hdlr payload: version/flags (4), pre_defined (4), handler_type (4)
    const handler = readType(viewOf(hdlr.bytes), hdlr.headerSize + 8);
    if (handler !== 'vide') continue;
    const tkhd = requireChild(trak, 'tkhd');
    const tkhdView = viewOf(tkhd.bytes);
    const tkhdVersion = tkhdView.getUint8(tkhd.headerSize);
    const trackId = tkhdView.getUint32(tkhd.headerSize + (tkhdVersion === 1 ? 20 : 12));
    const mdhd = requireChild(mdia, 'mdhd');
    const mdhdView = viewOf(mdhd.bytes);
    const mdhdVersion = mdhdView.getUint8(mdhd.headerSize);
    const timescale = mdhdView.getUint32(mdhd.headerSize + (mdhdVersion === 1 ? 20 : 12));
    const stsd = requireChild(requireChild(requireChild(mdia, 'minf'), 'stbl'), 'stsd');
    // stsd payload: version/flags (4), entry_count (4), then the first sample entry box.
    const entryOffset = stsd.headerSize + 8;
    const stsdView = viewOf(stsd.bytes);
    const codec = readType(stsdView, entryOffset + 4);
    // VisualSampleEntry: header 8, reserved 6, data_reference_index 2, pre_defined/reserved 16.
    const width = stsdView.getUint16(entryOffset + 32);
    const height = stsdView.getUint16(entryOffset + 34);
    if (timescale <= 0) throw new BoxFormatError('video track has a zero timescale');
    return { timescale, trackId, codec, width, height };
  }
  throw new BoxFormatError('the init segment has no video track');
}

export interface FragmentInfo {
  readonly baseDecodeTime: bigint;
  /** Sum of the sample durations, in the track's timescale. */
  readonly duration: number;
  readonly sampleCount: number;
  /** Whether the first sample is a sync sample (a keyframe a decoder can start from). */
  readonly startsWithKeyframe: boolean;
  /** Offset of tfdt's decode time inside the moof's bytes, and its width (4 or 8 bytes). */
  readonly tfdtOffset: number;
  readonly tfdtWidth: 4 | 8;
}

// tfhd flags
const TFHD_BASE_DATA_OFFSET = 0x1;
const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
const TFHD_DEFAULT_DURATION = 0x8;
const TFHD_DEFAULT_SIZE = 0x10;
const TFHD_DEFAULT_FLAGS = 0x20;
// trun flags
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
const TRUN_SAMPLE_DURATION = 0x100;
const TRUN_SAMPLE_SIZE = 0x200;
const TRUN_SAMPLE_FLAGS = 0x400;
const TRUN_SAMPLE_CTO = 0x800;

/** A sample is a keyframe when it depends on no other sample and is not flagged non-sync. */
function isSyncSample(flags: number): boolean {
  const dependsOn = (flags >>> 24) & 0x3;
  const nonSync = (flags >>> 16) & 0x1;
  return nonSync === 0 && dependsOn !== 1;
}

/** Reads the (single-track) fragment described by a moof box. */
export function parseFragment(moof: Box): FragmentInfo {
  if (moof.type !== 'moof') throw new BoxFormatError(`expected moof, got ${moof.type}`);
  const traf = requireChild(moof, 'traf');
  const tfhd = requireChild(traf, 'tfhd');
  const tfhdView = viewOf(tfhd.bytes);
  const tfhdFlags = tfhdView.getUint32(tfhd.headerSize) & 0xffffff;
  let p = tfhd.headerSize + 8; // version/flags + track_ID
  if (tfhdFlags & TFHD_BASE_DATA_OFFSET) p += 8;
  if (tfhdFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) p += 4;
  let defaultDuration = 0;
  let defaultFlags = 0;
  if (tfhdFlags & TFHD_DEFAULT_DURATION) {
    defaultDuration = tfhdView.getUint32(p);
    p += 4;
  }
  if (tfhdFlags & TFHD_DEFAULT_SIZE) p += 4;
  if (tfhdFlags & TFHD_DEFAULT_FLAGS) defaultFlags = tfhdView.getUint32(p);

  const tfdt = requireChild(traf, 'tfdt');
  const tfdtView = viewOf(tfdt.bytes);
  const tfdtVersion = tfdtView.getUint8(tfdt.headerSize);
  const tfdtWidth = tfdtVersion === 1 ? 8 : 4;
  const baseDecodeTime =
    tfdtWidth === 8
      ? tfdtView.getBigUint64(tfdt.headerSize + 4)
      : BigInt(tfdtView.getUint32(tfdt.headerSize + 4));
  // Offsets of the child payloads inside moof.bytes, so the decode time can be rewritten in place.
  const moofStart = moof.bytes.byteOffset;
  const tfdtOffset = tfdt.bytes.byteOffset - moofStart + tfdt.headerSize + 4;

  let duration = 0;
  let sampleCount = 0;
  let firstFlags: number | null = null;
  for (const trun of childBoxes(traf).filter((b) => b.type === 'trun')) {
    const view = viewOf(trun.bytes);
    const flags = view.getUint32(trun.headerSize) & 0xffffff;
    const count = view.getUint32(trun.headerSize + 4);
    let q = trun.headerSize + 8;
    if (flags & TRUN_DATA_OFFSET) q += 4;
    let firstSampleFlags: number | null = null;
    if (flags & TRUN_FIRST_SAMPLE_FLAGS) {
      firstSampleFlags = view.getUint32(q);
      q += 4;
    }
    const perSample =
      (flags & TRUN_SAMPLE_DURATION ? 4 : 0) +
      (flags & TRUN_SAMPLE_SIZE ? 4 : 0) +
      (flags & TRUN_SAMPLE_FLAGS ? 4 : 0) +
      (flags & TRUN_SAMPLE_CTO ? 4 : 0);
    if (q + perSample * count > trun.bytes.byteLength) {
      throw new BoxFormatError('trun is shorter than its sample count says');
    }
    for (let i = 0; i < count; i++) {
      let r = q + i * perSample;
      let sampleDuration = defaultDuration;
      if (flags & TRUN_SAMPLE_DURATION) {
        sampleDuration = view.getUint32(r);
        r += 4;
      }
      if (flags & TRUN_SAMPLE_SIZE) r += 4;
      let sampleFlags = i === 0 && firstSampleFlags !== null ? firstSampleFlags : defaultFlags;
      if (flags & TRUN_SAMPLE_FLAGS && !(i === 0 && firstSampleFlags !== null)) {
        sampleFlags = view.getUint32(r);
      }
      if (firstFlags === null) firstFlags = sampleFlags;
      duration += sampleDuration;
    }
    sampleCount += count;
  }
  if (sampleCount === 0) throw new BoxFormatError('fragment has no samples');
  return {
    baseDecodeTime,
    duration,
    sampleCount,
    startsWithKeyframe: firstFlags !== null && isSyncSample(firstFlags),
    tfdtOffset,
    tfdtWidth,
  };
}

/** A copy of the moof with its tfdt decode time replaced. */
export function withDecodeTime(moof: Uint8Array, info: FragmentInfo, decodeTime: bigint): Buffer {
  const copy = Buffer.from(moof);
  if (info.tfdtWidth === 8) copy.writeBigUInt64BE(decodeTime, info.tfdtOffset);
  else copy.writeUInt32BE(Number(decodeTime & 0xffffffffn), info.tfdtOffset);
  return copy;
}
