/**
 * What runs inside the console page during the wall benchmark. Playwright sends each function's
 * source to the page, so each stands alone. This program is type-checked without the DOM
 * library: the page is described by the few members used here.
 */

interface ProbeVideo {
  readonly videoHeight?: number;
  getVideoPlaybackQuality(): { readonly totalVideoFrames: number };
  requestVideoFrameCallback(
    callback: (now: number, frame: { presentationTime: number; presentedFrames: number }) => void,
  ): number;
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
  PerformanceObserver: new (
    callback: (list: { getEntries(): { startTime: number; duration: number }[] }) => void,
  ) => { observe(options: { type: string }): void; disconnect(): void };
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
  /** Main-thread tasks over 50 ms (start, length): they hold the page, not the videos. */
  longTasks: { startTime: number; duration: number }[];
  stopLongTasks: () => void;
  tiles: Record<number, TileWatch>;
}

interface TileWatch {
  /** The video whose frames are counted (the shown one; a stream switch changes it). */
  video: ProbeVideo | null;
  /** When the last frame was put on screen (the compositor's time), and its count. */
  lastAt: number | null;
  lastCount: number;
  inView: boolean;
  /** Times without a new frame while in view: length and when each ended. */
  gaps: { ms: number; endedAt: number }[];
}

/**
 * Watches every tile's shown picture until readFrameGaps, by the frames the compositor puts on
 * screen (requestVideoFrameCallback's presentation time and count), so that a busy main thread
 * is not mistaken for a frozen picture: when several frames were shown between two callbacks,
 * the gap is their average spacing. Only what the analyst can see counts: a tile under a
 * maximised one is not watched while covered, and its next frame is timed from the moment it
 * came back into view (the restore's mark, taken just before the click).
 */
export function armFrameGaps(size: number): void {
  const w = globalThis as unknown as WallProbeWindow;
  const longTasks: { startTime: number; duration: number }[] = [];
  const observer = new w.PerformanceObserver((list) => {
    for (const e of list.getEntries())
      longTasks.push({ startTime: e.startTime, duration: e.duration });
  });
  observer.observe({ type: 'longtask' });
  const state: FrameGapState = {
    stopped: false,
    armedAt: w.performance.now(),
    marks: {},
    longTasks,
    stopLongTasks: () => observer.disconnect(),
    tiles: {},
  };
  for (let i = 0; i < size; i++)
    state.tiles[i] = { video: null, lastAt: null, lastCount: 0, inView: true, gaps: [] };
  w.wfFrameGaps = state;
  const follow = (t: TileWatch, video: ProbeVideo) => {
    let first = true;
    const onFrame = (
      _now: number,
      frame: { presentationTime: number; presentedFrames: number },
    ) => {
      if (state.stopped || t.video !== video) return;
      if (t.inView && t.lastAt !== null) {
        // A new video's count starts afresh; otherwise frames shown between callbacks count.
        const shown = first ? 1 : Math.max(1, frame.presentedFrames - t.lastCount);
        const ms = (frame.presentationTime - t.lastAt) / shown;
        t.gaps.push({ ms, endedAt: frame.presentationTime });
      }
      first = false;
      t.lastAt = frame.presentationTime;
      t.lastCount = frame.presentedFrames;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  const look = () => {
    if (state.stopped) return;
    for (let i = 0; i < size; i++) {
      const t = state.tiles[i]!;
      const tile = w.document.querySelector(`[data-testid="wall-tile"][data-tile-index="${i}"]`);
      const inView = !(tile?.getAttribute('class') ?? '').split(' ').includes('hidden-by-max');
      if (inView && !t.inView && t.lastAt !== null) {
        const restored = state.marks['restore'];
        t.lastAt = restored !== undefined ? Math.max(t.lastAt, restored) : w.performance.now();
      }
      t.inView = inView;
      const video = tile?.querySelector('video:not(.standby)') ?? null;
      if (video !== t.video) {
        t.video = video;
        if (video) follow(t, video);
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
  /** The gaps longer than twice the tile's median: length, and when each ended after a mark. */
  readonly longGaps: { ms: number; endedMsAfter: string }[];
}

/**
 * Stops the watch: per tile, the longest time without a new frame and the median time between;
 * and the main thread's long tasks, each placed after a mark.
 */
export function readFrameGaps(): {
  tiles: FrameGapReading[];
  longTasks: { ms: number; startedMsAfter: string }[];
} {
  const state = (globalThis as unknown as WallProbeWindow).wfFrameGaps!;
  state.stopped = true;
  state.stopLongTasks();
  // Where a moment falls: after which mark, and by how many ms.
  const placeAfterMark = (at: number): string => {
    const before = Object.entries(state.marks)
      .filter(([, t]) => t <= at)
      .sort((x, y) => x[1] - y[1])
      .pop();
    return before
      ? `${before[0]} +${Math.round(at - before[1])}`
      : `start +${Math.round(at - state.armedAt)}`;
  };
  const tiles = Object.entries(state.tiles).map(([index, t]) => {
    const sorted = t.gaps.map((g) => g.ms).sort((a, b) => a - b);
    const medianMs = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : -1;
    return {
      index: Number(index),
      longestMs: sorted.length > 0 ? Math.round(sorted[sorted.length - 1]!) : -1,
      medianMs: Math.round(medianMs),
      longGaps: t.gaps
        .filter((g) => g.ms > 2 * medianMs)
        .map((g) => ({ ms: Math.round(g.ms), endedMsAfter: placeAfterMark(g.endedAt) })),
    };
  });
  const longTasks = state.longTasks.map((task) => ({
    ms: Math.round(task.duration),
    startedMsAfter: placeAfterMark(task.startTime),
  }));
  return { tiles, longTasks };
}
