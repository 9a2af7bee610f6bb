/**
 * When a tile's other variant, playing hidden during a maximise or a restore, may take over the
 * picture (docs/video.md, "Variants"). Its first frames come while its player has next to nothing
 * buffered and the machine is busy starting it: shown at once, a main stream froze twice for more
 * than half a second in its first two seconds (bench/consoleWall, 16 tiles on two cores). The
 * variant being left keeps playing meanwhile, so the change waits until the new one has played
 * `settleMs` without a hitch, or `giveUpMs` after its first frame whatever it does.
 */
export interface SettleOptions {
  /** How long the new variant plays without a hitch before it is shown, ms. */
  readonly settleMs: number;
  /** A time this long between two of its frames is a hitch: the settling starts again. */
  readonly hitchMs: number;
  /** After this long from its first frame it is shown anyway, ms. */
  readonly giveUpMs: number;
}

export const STANDBY_SETTLE: SettleOptions = { settleMs: 1_000, hitchMs: 250, giveUpMs: 3_000 };

/** Shown once it has played a little without a hitch, and soon whatever it does. */
export const RESTORE_SETTLE: SettleOptions = { settleMs: 400, hitchMs: 150, giveUpMs: 1_200 };

/**
 * The main stream waits for a smooth second: it is the large decode that starts with a hitch.
 * The substream of a restore waits less: the old main stream is the costly one to keep playing
 * while sixteen tiles come back into view (a full second made every tile stutter after the
 * restore), while shown on its very first frame the substream itself froze up to 259 ms just
 * after (docs/video.md).
 */
export function settleFor(variant: 'main' | 'sub'): SettleOptions {
  return variant === 'main' ? STANDBY_SETTLE : RESTORE_SETTLE;
}

export class StandbySettle {
  private firstAt: number | null = null;
  private lastAt = 0;
  private smoothSince = 0;

  constructor(private readonly options: SettleOptions = STANDBY_SETTLE) {}

  /** Whether the new variant has shown a frame yet. */
  get framed(): boolean {
    return this.firstAt !== null;
  }

  /** One frame of the new variant, at its presentation time (ms); true when it may be shown. */
  frame(atMs: number): boolean {
    if (this.firstAt === null) {
      this.firstAt = atMs;
      this.smoothSince = atMs;
    } else if (atMs - this.lastAt > this.options.hitchMs) {
      this.smoothSince = atMs;
    }
    this.lastAt = atMs;
    return (
      atMs - this.smoothSince >= this.options.settleMs ||
      atMs - this.firstAt >= this.options.giveUpMs
    );
  }
}
