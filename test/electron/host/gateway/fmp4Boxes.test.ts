import { beforeAll, describe, expect, it } from 'vitest';
import {
  BoxFormatError,
  BoxSplitter,
  parseFragment,
  parseInit,
  withDecodeTime,
  type Box,
} from '../../../../electron/host/gateway/fmp4Boxes';
import { makeFragmentedSample, SAMPLE_FPS, SAMPLE_GOP } from '../fixtures/fmp4Sample';

let sample: Buffer;
let boxes: Box[];

beforeAll(async () => {
  sample = await makeFragmentedSample(3);
  boxes = new BoxSplitter().push(sample);
});

describe('fMP4 boxes', () => {
  it('splits a stream cut at arbitrary places into the same boxes', () => {
    const splitter = new BoxSplitter();
    const pieces: Box[] = [];
    // Cut into 7-byte and 1000-byte pieces alternately: headers and payloads straddle cuts.
    let offset = 0;
    for (let i = 0; offset < sample.length; i++) {
      const size = i % 2 === 0 ? 7 : 1000;
      pieces.push(...splitter.push(sample.subarray(offset, offset + size)));
      offset += size;
    }
    expect(pieces.map((b) => b.type)).toEqual(boxes.map((b) => b.type));
    expect(Buffer.concat(pieces.map((b) => b.bytes)).equals(sample)).toBe(true);
    expect(splitter.bufferedBytes).toBe(0);
  });

  it('reads the init segment: video timescale, codec and size', () => {
    const moov = boxes.find((b) => b.type === 'moov')!;
    const info = parseInit(moov);
    expect(info.codec).toBe('avc1');
    expect(info.width).toBe(160);
    expect(info.height).toBe(120);
    expect(info.timescale).toBeGreaterThan(0);
  });

  it('reads one frame per fragment, with keyframes where the encoder put them', () => {
    const info = parseInit(boxes.find((b) => b.type === 'moov')!);
    const fragments = boxes.filter((b) => b.type === 'moof').map(parseFragment);
    expect(fragments).toHaveLength(3 * SAMPLE_FPS);
    const keyframes = fragments.flatMap((f, i) => (f.startsWithKeyframe ? [i] : []));
    expect(keyframes).toEqual([0, SAMPLE_GOP, 2 * SAMPLE_GOP]);
    for (const [i, f] of fragments.entries()) {
      expect(f.sampleCount).toBe(1);
      expect(f.duration / info.timescale).toBeCloseTo(1 / SAMPLE_FPS, 6);
      if (i > 0) {
        const previous = fragments[i - 1]!;
        expect(f.baseDecodeTime - previous.baseDecodeTime).toBe(BigInt(previous.duration));
      }
    }
  });

  it('rewrites a fragment decode time in a copy', () => {
    const moof = boxes.find((b) => b.type === 'moof')!;
    const info = parseFragment(moof);
    const rewritten = withDecodeTime(moof.bytes, info, 123_456_789n);
    const reread = parseFragment({ type: 'moof', bytes: rewritten, headerSize: moof.headerSize });
    expect(reread.baseDecodeTime).toBe(123_456_789n);
    expect(parseFragment(moof).baseDecodeTime).toBe(info.baseDecodeTime);
  });

  it('rejects a box whose size cannot be right', () => {
    const bogus = Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66]);
    expect(() => new BoxSplitter().push(bogus)).toThrow(BoxFormatError);
    const huge = Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x6d, 0x64, 0x61, 0x74]);
    expect(() => new BoxSplitter().push(huge)).toThrow(BoxFormatError);
  });
});
