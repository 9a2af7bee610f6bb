/**
 * What runs inside the console page during the wall benchmark. Playwright sends each function's
 * source to the page, so each stands alone. This program is type-checked without the DOM
 * library: the page is described by the few members used here.
 */

interface ProbeVideo {
  readonly videoHeight?: number;
  getVideoPlaybackQuality(): { readonly totalVideoFrames: number };
  requestVideoFrameCallback(callback: (now: number) => void): number;
  addEventListener(type: string, listener: () => void, options?: { once: boolean }): void;
}

interface ProbeTile {
  getAttribute(name: string): string | null;
  querySelector(selector: string): ProbeVideo | null;
}

interface ProbeDocument {
  querySelector(selector: string): ProbeTile | null;
  querySelectorAll(selector: string): ArrayLike<ProbeTile>;
  addEventListener(type: string, listener: () => void, capture: boolean): void;
}

export interface WallProbeState {
  /** When the analyst confirmed (the reason's submit, or the drop when no reason was asked). */
  startedAt: number | null;
  /** Per tile index: when its first frame after startedAt was shown. */
  firstFrameAt: Record<number, number>;
}

export interface WallProbeWindow {
  readonly document: ProbeDocument;
  requestAnimationFrame(callback: (now: number) => void): number;
  wfFrameGaps?: FrameGapState;
  readonly performance: { now(): number; readonly memory?: { readonly usedJSHeapSize: number } };
  wfWallProbe?: WallProbeState;
}

/**
 * Arms the probe for some tiles: the clock starts when the analyst drops or confirms, and each
 * tile's first frame is the first one its video shows after its player was reset (a tile that
 * played another camera before is emptied first, so its old picture does not count).
 */
export function armWallProbe(args: { tiles: number[]; afterReset: boolean }): void {
  const w = globalThis as unknown as WallProbeWindow;
  const state: WallProbeState = { startedAt: null, firstFrameAt: {} };
  w.wfWallProbe = state;
  const start = () => {
    if (w.wfWallProbe === state) state.startedAt = w.performance.now();
  };
  w.document.addEventListener('submit', start, true);
  w.document.addEventListener('drop', start, true);
  for (const index of args.tiles) {
    const video = w.document
      .querySelector(`[data-testid="wall-tile"][data-tile-index="${index}"]`)
      ?.querySelector('video:not(.standby)');
    if (!video) throw new Error(`no video in tile ${index}`);
    const watch = () =>
      video.requestVideoFrameCallback(() => {
        if (w.wfWallProbe === state) state.firstFrameAt[index] = w.performance.now();
      });
    if (args.afterReset) video.addEventListener('emptied', watch, { once: true });
    else watch();
  }
}

/** ms from the analyst's confirmation to each tile's first frame, by tile index. */
export function firstFrames(): { started: boolean; ms: Record<number, number> } {
  const state = (globalThis as unknown as WallProbeWindow).wfWallProbe!;
  const started = state.startedAt;
  const ms: Record<number, number> = {};
  if (started !== null)
    for (const [index, at] of Object.entries(state.firstFrameAt)) ms[Number(index)] = at - started;
  return { started: started !== null, ms };
}

export interface TileReading {
  readonly index: number;
  readonly state: string;
  readonly latencyMs: number | null;
  readonly decodedFrames: number;
  readonly droppedFrames: number;
  readonly stalls: number;
}

/** Every tile's figures as the console writes them on the tile (data-*). */
export function readTiles(): TileReading[] {
  const w = globalThis as unknown as WallProbeWindow;
  return Array.from(w.document.querySelectorAll('[data-testid="wall-tile"]')).map((t) => {
    const latency = t.getAttribute('data-latency-ms');
    return {
      index: Number(t.getAttribute('data-tile-index')),
      state: t.getAttribute('data-state') ?? '',
      latencyMs: latency ? Number(latency) : null,
      decodedFrames: Number(t.getAttribute('data-decoded-frames') ?? 0),
      droppedFrames: Number(t.getAttribute('data-dropped-frames') ?? 0),
      stalls: Number(t.getAttribute('data-stalls') ?? 0),
    };
  });
}

/** After a full collection where the page may ask for one (Chromium started with --expose-gc). */
export function jsHeapBytes(): number | null {
  const page = globalThis as unknown as WallProbeWindow & { gc?: () => void };
  page.gc?.();
  return page.performance.memory?.usedJSHeapSize ?? null;
}

/** The height of the picture a tile shows (the standby video of a stream switch is not shown). */
export function shownVideoHeight(index: number): number {
  const w = globalThis as unknown as WallProbeWindow;
  const tile = w.document.querySelector(`[data-testid="wall-tile"][data-tile-index="${index}"]`);
  return tile?.querySelector('video:not(.standby)')?.videoHeight ?? 0;
}

interface FrameGapState {
  stopped: boolean;
  /** performance.now() when the watch began, and when the analyst's clicks fell (by name). */
  armedAt: number;
  marks: Record<string, number>;
  /**
   * Per tile index: the shown video, its frame count, when it last moved on (or came into view),
   * whether it was in view at the last look, and the gaps while in view.
   */
  tiles: Record<
    number,
    {
      video: ProbeVideo | null;
      frames: number;
      lastAt: number | null;
      inView: boolean;
      gaps: { ms: number; endedAt: number }[];
    }
  >;
}

/**
 * Watches every tile's shown picture at each animation frame until readFrameGaps: a tile moves
 * on when its shown video decodes another frame or another video (a stream switch) is shown.
 * Only what the analyst can see counts: a tile under a maximised one is not watched while it is
 * covered, and the clock of its next frame starts when it comes back into view.
 */
export function armFrameGaps(size: number): void {
  const w = globalThis as unknown as WallProbeWindow;
  const state: FrameGapState = {
    stopped: false,
    armedAt: w.performance.now(),
    marks: {},
    tiles: {},
  };
  for (let i = 0; i < size; i++)
    state.tiles[i] = { video: null, frames: -1, lastAt: null, inView: true, gaps: [] };
  w.wfFrameGaps = state;
  const look = (now: number) => {
    if (state.stopped) return;
    for (let i = 0; i < size; i++) {
      const t = state.tiles[i]!;
      const tile = w.document.querySelector(`[data-testid="wall-tile"][data-tile-index="${i}"]`);
      const inView = !(tile?.getAttribute('class') ?? '').split(' ').includes('hidden-by-max');
      const video = tile?.querySelector('video:not(.standby)') ?? null;
      const frames = video ? video.getVideoPlaybackQuality().totalVideoFrames : -1;
      if (!inView) {
        t.inView = false;
        t.video = video;
        t.frames = frames;
        continue;
      }
      if (!t.inView) {
        // Back in view: the picture must move on from now.
        t.inView = true;
        if (t.lastAt !== null) t.lastAt = now;
      }
      if (video !== t.video || frames !== t.frames) {
        if (t.lastAt !== null && frames > 0) t.gaps.push({ ms: now - t.lastAt, endedAt: now });
        if (frames > 0) t.lastAt = now;
        t.video = video;
        t.frames = frames;
      }
    }
    w.requestAnimationFrame(look);
  };
  w.requestAnimationFrame(look);
}

/** Notes when the analyst did something (a click), to place the gaps in time. */
export function markFrameGaps(name: string): void {
  const w = globalThis as unknown as WallProbeWindow;
  w.wfFrameGaps!.marks[name] = w.performance.now();
}

export interface FrameGapReading {
  readonly index: number;
  readonly longestMs: number;
  readonly medianMs: number;
  /** The gaps longer than twice the tile's median: length, and when each ended, ms after the mark. */
  readonly longGaps: { ms: number; endedMsAfter: string }[];
}

/** Stops the watch: per tile, the longest time without a new frame and the median time between. */
export function readFrameGaps(): FrameGapReading[] {
  const state = (globalThis as unknown as WallProbeWindow).wfFrameGaps!;
  state.stopped = true;
  const marks = Object.entries(state.marks).sort((a, b) => a[1] - b[1]);
  const place = (at: number) => {
    const before = marks.filter(([, t]) => t <= at).pop();
    return before
      ? `${before[0]} +${Math.round(at - before[1])}`
      : `start +${Math.round(at - state.armedAt)}`;
  };
  return Object.entries(state.tiles).map(([index, t]) => {
    const sorted = t.gaps.map((g) => g.ms).sort((a, b) => a - b);
    const medianMs = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : -1;
    return {
      index: Number(index),
      longestMs: sorted.length > 0 ? Math.round(sorted[sorted.length - 1]!) : -1,
      medianMs: Math.round(medianMs),
      longGaps: t.gaps
        .filter((g) => g.ms > 2 * medianMs)
        .map((g) => ({ ms: Math.round(g.ms), endedMsAfter: place(g.endedAt) })),
    };
  });
}
