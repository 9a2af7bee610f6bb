import type { Clock } from '../../shared/time/clock';

/**
 * Where a tile's start goes once its player is attached: the first playlist, the first media
 * loaded and buffered, the first decoded frame, and the player's errors on the way (a retried
 * playlist shows here). Written on the tile's element (`data-startup`) for the benchmarks and
 * for anyone reading a slow tile in the developer tools (docs/video.md, "Cold start").
 */
export const TILE_STARTUP_STAGES = ['playlist', 'fragment', 'buffered', 'frame'] as const;

export type TileStartupStage = (typeof TILE_STARTUP_STAGES)[number];

/** Errors kept per start: enough to see a retry loop, bounded for a tile that never starts. */
const ERRORS_KEPT = 4;

export class TileStartup {
  private attachedAt: number | null = null;
  private readonly reached = new Map<TileStartupStage, number>();
  private errors: string[] = [];

  constructor(private readonly clock: Clock) {}

  /** A player was attached: a new start begins. */
  attached(): void {
    this.attachedAt = this.clock.now();
    this.reached.clear();
    this.errors = [];
  }

  mark(stage: TileStartupStage): void {
    if (this.attachedAt === null || this.reached.has(stage)) return;
    this.reached.set(stage, this.clock.now() - this.attachedAt);
  }

  /** A player error before the first frame (later ones are the tile health's business). */
  error(details: string): void {
    if (this.attachedAt === null || this.reached.has('frame')) return;
    if (this.errors.length >= ERRORS_KEPT) return;
    this.errors.push(`${details}@${this.clock.now() - this.attachedAt}`);
  }

  /** Wall time of the attach, or null before one. */
  get startedAt(): number | null {
    return this.attachedAt;
  }

  /** `playlist=120 fragment=310 buffered=340 frame=420 errors=levelLoadError@1200`, ms after attach. */
  summary(): string {
    const parts = TILE_STARTUP_STAGES.flatMap((stage) => {
      const ms = this.reached.get(stage);
      return ms === undefined ? [] : [`${stage}=${ms}`];
    });
    if (this.errors.length > 0) parts.push(`errors=${this.errors.join(',')}`);
    return parts.join(' ');
  }
}
