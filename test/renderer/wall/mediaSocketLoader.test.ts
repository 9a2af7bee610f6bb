import type { HlsConfig, LoaderCallbacks, LoaderConfiguration, LoaderContext } from 'hls.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaSocketAnswer } from '../../../shared/api/mediaSocket';
import { decodeMediaAnswer, encodeMediaAnswer } from '../../../shared/api/mediaSocket';
import {
  STALL_FORGIVEN_AFTER_MS,
  forgiveStalls,
  keepNearLiveEdge,
} from '../../../renderer/wall/liveEdge';
import { mediaSocketLoader, type MediaChannel } from '../../../renderer/wall/mediaSocketLoader';

const ORIGIN = 'https://127.0.0.1:7410';

type Handler = (answer: MediaSocketAnswer | Error) => void;

/** A channel that records requests and lets the test answer them. */
class FakeChannel implements MediaChannel {
  readonly requests: { id: number; path: string; query: string; handler: Handler }[] = [];
  readonly cancelled: number[] = [];
  private nextId = 1;

  request(path: string, query: string, onAnswer: Handler): number {
    const id = this.nextId++;
    this.requests.push({ id, path, query, handler: onAnswer });
    return id;
  }

  cancel(id: number): void {
    this.cancelled.push(id);
  }

  answer(index: number, status: number, body: string | Uint8Array, contentType = 'video/mp4') {
    const r = this.requests[index]!;
    r.handler({
      id: r.id,
      status,
      contentType,
      body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
    });
  }
}

/** hls.js's own loader stand-in for URLs the socket does not carry. */
class FallbackLoader {
  static loads: string[] = [];
  context: LoaderContext | null = null;
  stats = {} as never;
  load(context: LoaderContext): void {
    FallbackLoader.loads.push(context.url);
  }
  abort(): void {}
  destroy(): void {}
}

const CONFIG: LoaderConfiguration = {
  loadPolicy: {
    maxTimeToFirstByteMs: 4000,
    maxLoadTimeMs: 6000,
    timeoutRetry: null,
    errorRetry: null,
  },
  maxRetry: 0,
  timeout: 0,
  retryDelay: 0,
  maxRetryDelay: 0,
};

function callbacks() {
  return {
    onSuccess: vi.fn(),
    onError: vi.fn(),
    onTimeout: vi.fn(),
    onAbort: vi.fn(),
  } satisfies LoaderCallbacks<LoaderContext>;
}

/** As hls.js makes them: fragments carry rangeStart and rangeEnd of 0 when no range is meant. */
function context(url: string, responseType = 'arraybuffer'): LoaderContext {
  return {
    url,
    responseType,
    type: 'media-fragment' as LoaderContext['type'],
    rangeStart: 0,
    rangeEnd: 0,
  };
}

describe('media socket loader', () => {
  let channel: FakeChannel;
  let Loader: ReturnType<typeof mediaSocketLoader>;

  beforeEach(() => {
    vi.useFakeTimers();
    channel = new FakeChannel();
    FallbackLoader.loads = [];
    Loader = mediaSocketLoader(channel, ORIGIN, FallbackLoader as never);
  });
  afterEach(() => vi.useRealTimers());

  it('asks the socket for the media path and query, and hands hls.js a buffer of its own', () => {
    const loader = new Loader({} as HlsConfig);
    const cb = callbacks();
    loader.load(context(`${ORIGIN}/media/KEY/MEDIA/part-7.m4s?_HLS_msn=3`), CONFIG, cb);
    expect(channel.requests[0]).toMatchObject({
      path: 'KEY/MEDIA/part-7.m4s',
      query: '_HLS_msn=3',
    });
    const body = new Uint8Array([0, 0, 0, 8, 0x6d, 0x6f, 0x6f, 0x66]);
    channel.answer(0, 200, body);
    expect(cb.onSuccess).toHaveBeenCalledOnce();
    const [response, stats] = cb.onSuccess.mock.calls[0]!;
    expect(response.code).toBe(200);
    expect(response.data).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(response.data as ArrayBuffer)).toEqual(body);
    expect((response.data as ArrayBuffer).byteLength).toBe(8);
    expect(stats.loaded).toBe(8);
    expect(stats.loading.end).toBeGreaterThanOrEqual(stats.loading.start);
    expect(loader.getResponseHeader?.('Content-Type')).toBe('video/mp4');
  });

  it('resolves a relative manifest URL against the page and gives playlists as text', () => {
    const loader = new Loader({} as HlsConfig);
    const cb = callbacks();
    loader.load(context('/media/KEY/MEDIA/live.m3u8', 'text'), CONFIG, cb);
    expect(channel.requests[0]?.path).toBe('KEY/MEDIA/live.m3u8');
    channel.answer(0, 200, '#EXTM3U\n', 'application/vnd.apple.mpegurl');
    expect(cb.onSuccess.mock.calls[0]![0].data).toBe('#EXTM3U\n');
    // Reported as a browser would: absolute, so that hls.js can add _HLS_msn to it.
    expect(cb.onSuccess.mock.calls[0]![0].url).toBe(`${ORIGIN}/media/KEY/MEDIA/live.m3u8`);
  });

  it('reports an error status with its text, and a lost socket as a network error', () => {
    const a = new Loader({} as HlsConfig);
    const cbA = callbacks();
    a.load(context(`${ORIGIN}/media/KEY/MEDIA/part-9.m4s`), CONFIG, cbA);
    channel.answer(0, 410, 'the owner withdrew access', 'text/plain');
    expect(cbA.onError).toHaveBeenCalledWith(
      { code: 410, text: 'the owner withdrew access' },
      expect.anything(),
      null,
      expect.anything(),
    );
    const b = new Loader({} as HlsConfig);
    const cbB = callbacks();
    b.load(context(`${ORIGIN}/media/KEY/MEDIA/part-10.m4s`), CONFIG, cbB);
    channel.requests[1]!.handler(new Error('the media socket closed'));
    expect(cbB.onError.mock.calls[0]![0].code).toBe(0);
    expect(cbB.onSuccess).not.toHaveBeenCalled();
  });

  it('cancels on the socket when hls.js aborts, and ignores a late answer', () => {
    const loader = new Loader({} as HlsConfig);
    const cb = callbacks();
    loader.load(context(`${ORIGIN}/media/KEY/MEDIA/live.m3u8?_HLS_msn=9&_HLS_part=0`), CONFIG, cb);
    loader.abort();
    expect(channel.cancelled).toEqual([1]);
    expect(cb.onAbort).toHaveBeenCalledOnce();
    expect(loader.stats.aborted).toBe(true);
    channel.answer(0, 200, '#EXTM3U\n');
    expect(cb.onSuccess).not.toHaveBeenCalled();
  });

  it('times out under hls.js load policy, cancelling the request', () => {
    const loader = new Loader({} as HlsConfig);
    const cb = callbacks();
    loader.load(context(`${ORIGIN}/media/KEY/MEDIA/live.m3u8?_HLS_msn=9&_HLS_part=0`), CONFIG, cb);
    vi.advanceTimersByTime(5999);
    expect(cb.onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cb.onTimeout).toHaveBeenCalledOnce();
    expect(channel.cancelled).toEqual([1]);
  });

  it('destroy ends a request without calling back', () => {
    const loader = new Loader({} as HlsConfig);
    const cb = callbacks();
    loader.load(context(`${ORIGIN}/media/KEY/MEDIA/part-1.m4s`), CONFIG, cb);
    loader.destroy();
    expect(channel.cancelled).toEqual([1]);
    channel.answer(0, 200, new Uint8Array(4));
    expect(cb.onSuccess).not.toHaveBeenCalled();
    expect(cb.onAbort).not.toHaveBeenCalled();
  });

  it("leaves other origins, other paths and byte ranges to hls.js's own loader", () => {
    for (const [url, range] of [
      ['https://tiles.example/media/KEY/MEDIA/live.m3u8', false],
      [`${ORIGIN}/assets/app.js`, false],
      [`${ORIGIN}/media/KEY/MEDIA/seg-1.m4s`, true],
    ] as const) {
      const loader = new Loader({} as HlsConfig);
      const ctx = context(url);
      if (range) {
        ctx.rangeStart = 100;
        ctx.rangeEnd = 200;
      }
      loader.load(ctx, CONFIG, callbacks());
    }
    expect(channel.requests).toHaveLength(0);
    expect(FallbackLoader.loads).toHaveLength(3);
  });
});

describe('media socket answers', () => {
  it('round-trip through their binary form', () => {
    const body = new Uint8Array([1, 2, 3, 250]);
    const encoded = encodeMediaAnswer({
      id: 4_000_000_000,
      status: 503,
      contentType: 'text/plain',
      body,
    });
    const decoded = decodeMediaAnswer(encoded.buffer as ArrayBuffer);
    expect(decoded).toMatchObject({ id: 4_000_000_000, status: 503, contentType: 'text/plain' });
    expect(decoded?.body).toEqual(body);
    expect(decodeMediaAnswer(new Uint8Array(3))).toBeNull();
    expect(decodeMediaAnswer(new Uint8Array([0, 0, 0, 1, 0, 200, 40, 65]))).toBeNull();
  });
});

describe('keeping near the live edge', () => {
  const ranges = (spans: [number, number][]): TimeRanges => ({
    length: spans.length,
    start: (i) => spans[i]![0],
    end: (i) => spans[i]![1],
  });

  it('jumps to the live sync position when behind and it is buffered, and not otherwise', () => {
    const video = { currentTime: 10, buffered: ranges([[9, 12]]) };
    expect(
      keepNearLiveEdge({ latency: 1.1, targetLatency: 0.6, liveSyncPosition: 11.5 }, video),
    ).toBe(true);
    expect(video.currentTime).toBe(11.5);
    // Close enough to the target: no jump.
    const near = { currentTime: 10, buffered: ranges([[9, 12]]) };
    expect(
      keepNearLiveEdge({ latency: 0.8, targetLatency: 0.6, liveSyncPosition: 10.2 }, near),
    ).toBe(false);
    // Behind, but the position is not buffered yet (or too close to its end): wait.
    const thin = { currentTime: 10, buffered: ranges([[9, 11.6]]) };
    expect(
      keepNearLiveEdge({ latency: 1.5, targetLatency: 0.6, liveSyncPosition: 11.5 }, thin),
    ).toBe(false);
    expect(thin.currentTime).toBe(10);
    expect(
      keepNearLiveEdge({ latency: 1.5, targetLatency: null, liveSyncPosition: 11 }, video),
    ).toBe(false);
  });
});

describe('forgiving stalls', () => {
  /** hls.js's latency controller as far as this goes: each stall adds 0.2 s until the target is set. */
  class FakeLatency {
    stalls = 0;
    base = 0.6;
    get targetLatency(): number | null {
      return this.base + 0.2 * this.stalls;
    }
    set targetLatency(seconds: number) {
      this.base = seconds;
      this.stalls = 0;
    }
  }

  it('gives back the latency stalls added once the tile has gone long enough without one', () => {
    const hls = new FakeLatency();
    hls.stalls = 2;
    expect(forgiveStalls(hls, 0.6, STALL_FORGIVEN_AFTER_MS - 1)).toBe(false);
    expect(hls.targetLatency).toBeCloseTo(1.0);
    expect(forgiveStalls(hls, 0.6, STALL_FORGIVEN_AFTER_MS)).toBe(true);
    expect(hls.targetLatency).toBeCloseTo(0.6);
    expect(hls.stalls).toBe(0);
    // Nothing to give back: nothing is set.
    expect(forgiveStalls(hls, 0.6, 10 * STALL_FORGIVEN_AFTER_MS)).toBe(false);
  });
});
