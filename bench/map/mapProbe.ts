/**
 * What runs inside the console page during the map benchmark. The functions below are sent to
 * the page by Playwright (their source, not their closure), so each one stands alone. This
 * program is type-checked without the DOM library; the page is described by the few members
 * used here.
 */

interface ProbeElement {
  getAttribute(name: string): string | null;
}

interface RadiusIndex {
  within(center: { lat: number; lng: number }, radiusM: number): readonly unknown[];
}

export interface ProbeCamera {
  readonly id: string;
  readonly kind: 'registered' | 'integrated' | 'agency';
  readonly lat: number;
  readonly lng: number;
}

export interface MapProbeState {
  recording: boolean;
  /** requestAnimationFrame intervals while recording, ms. */
  frames: number[];
  /** The map's own redraw times (data-draw-ms) while recording, ms. */
  draws: number[];
  /** Redraws since the probe was installed: a move has ended when this moves on. */
  drawCount: number;
}

export interface ProbeWindow {
  requestAnimationFrame(callback: (at: number) => void): number;
  readonly performance: { now(): number };
  readonly document: { querySelector(selector: string): ProbeElement | null };
  readonly MutationObserver: new (callback: () => void) => {
    observe(
      target: ProbeElement,
      options: { readonly attributes: boolean; readonly attributeFilter: string[] },
    ): void;
  };
  wfMapProbe?: MapProbeState;
  /** The bundle of bench/map/radiusProbeEntry.ts. */
  WfRadius?: {
    CameraIndex: new (cameras: readonly ProbeCamera[]) => RadiusIndex;
    distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number;
  };
}

/** Starts the frame clock and listens for the map's redraws. */
export function installMapProbe(): void {
  const w = globalThis as unknown as ProbeWindow;
  const state: MapProbeState = { recording: false, frames: [], draws: [], drawCount: 0 };
  w.wfMapProbe = state;
  let last = w.performance.now();
  const frame = (at: number) => {
    if (state.recording) state.frames.push(at - last);
    last = at;
    w.requestAnimationFrame(frame);
  };
  w.requestAnimationFrame(frame);
  const map = w.document.querySelector('.leaflet-container');
  if (!map) throw new Error('no map on the page');
  new w.MutationObserver(() => {
    state.drawCount += 1;
    if (state.recording) state.draws.push(Number(map.getAttribute('data-draw-ms')));
  }).observe(map, { attributes: true, attributeFilter: ['data-draw-ms'] });
}

export function setRecording(on: boolean): void {
  const state = (globalThis as unknown as ProbeWindow).wfMapProbe!;
  if (on) {
    state.frames = [];
    state.draws = [];
  }
  state.recording = on;
}

export function drawCount(): number {
  return (globalThis as unknown as ProbeWindow).wfMapProbe!.drawCount;
}

export function recorded(): { frames: number[]; draws: number[] } {
  const state = (globalThis as unknown as ProbeWindow).wfMapProbe!;
  return { frames: state.frames, draws: state.draws };
}

export interface RadiusTimings {
  readonly buildMs: number;
  readonly indexMs: number[];
  readonly linearMs: number[];
  readonly hits: number[];
}

/**
 * The renderer's radius index over the same cameras the console holds, queried at the given
 * points; a linear scan over them with the same distance is the reference.
 */
export function timeRadius(args: {
  readonly cameras: readonly ProbeCamera[];
  readonly points: readonly { lat: number; lng: number; radiusM: number }[];
  readonly linearQueries: number;
}): RadiusTimings {
  const w = globalThis as unknown as ProbeWindow;
  const lib = w.WfRadius!;
  const t0 = w.performance.now();
  const index = new lib.CameraIndex(args.cameras);
  const buildMs = w.performance.now() - t0;
  // The first queries compile the code; they are not what an analyst waits for.
  for (const p of args.points.slice(0, 20)) index.within(p, p.radiusM);
  const indexMs: number[] = [];
  const hits: number[] = [];
  for (const p of args.points) {
    const s = w.performance.now();
    const found = index.within(p, p.radiusM);
    indexMs.push(w.performance.now() - s);
    hits.push(found.length);
  }
  const linearMs: number[] = [];
  for (const p of args.points.slice(0, args.linearQueries)) {
    const s = w.performance.now();
    const near = args.cameras
      .map((c) => ({ c, d: lib.distanceMeters(p, c) }))
      .filter((x) => x.d <= p.radiusM)
      .sort((a, b) => a.d - b.d);
    linearMs.push(w.performance.now() - s);
    if (near.length < 0) throw new Error('unreachable');
  }
  return { buildMs, indexMs, linearMs, hits };
}
