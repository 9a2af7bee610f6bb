/**
 * What runs inside the console page during the autodock benchmark; each function stands alone
 * (Playwright sends its source). The page is described by the few members used here.
 */

interface ProbeVideo {
  readonly src: string;
  readonly currentTime: number;
  readonly readyState: number;
}

interface ProbeTile {
  getAttribute(name: string): string | null;
  querySelector(selector: string): ProbeVideo | null;
}

interface ProbeWindow {
  readonly document: { querySelectorAll(selector: string): ArrayLike<ProbeTile> };
  readonly performance: { readonly timeOrigin: number; now(): number };
  setInterval(f: () => void, ms: number): number;
  clearInterval(id: number): void;
  wfDockProbe?: { firstFrameAt: Record<string, number>; timer: number };
}

/**
 * Watches for the first frame of each camera's tile, as wall-clock ms: a tile counts once it
 * shows the camera and its video has decoded a frame from a media source it did not have when
 * the probe was armed (a camera re-docked warm gets a new player). Polled every 10 ms.
 */
export function armDockProbe(cameraIds: string[]): void {
  const w = globalThis as unknown as ProbeWindow;
  if (w.wfDockProbe) w.clearInterval(w.wfDockProbe.timer);
  const tiles = () => Array.from(w.document.querySelectorAll('[data-testid="wall-tile"]'));
  const before = new Set(tiles().map((t) => t.querySelector('video:not(.standby)')?.src ?? ''));
  const firstFrameAt: Record<string, number> = {};
  const timer = w.setInterval(() => {
    for (const t of tiles()) {
      const id = t.getAttribute('data-camera-id') ?? '';
      if (!cameraIds.includes(id) || firstFrameAt[id] !== undefined) continue;
      const v = t.querySelector('video:not(.standby)');
      if (!v || !v.src || before.has(v.src) || v.readyState < 2 || v.currentTime <= 0) continue;
      firstFrameAt[id] = w.performance.timeOrigin + w.performance.now();
    }
  }, 10);
  w.wfDockProbe = { firstFrameAt, timer };
}

export function dockFirstFrames(): Record<string, number> {
  return (globalThis as unknown as ProbeWindow).wfDockProbe?.firstFrameAt ?? {};
}
