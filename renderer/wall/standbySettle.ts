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
