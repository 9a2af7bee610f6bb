import type { Clock } from '../../../shared/time/clock';

/**
 * Where a stream's cold start goes, stage by stage: the first time each stage is reached, in ms
 * after the stream was opened. The gateway logs it once, when the first playlist is answered, so
 * an operator who asks "why did this camera take three seconds?" reads whether it was ffmpeg, the
 * camera (first bytes, first keyframe) or the player (docs/video.md, "Cold start").
 */
export const STARTUP_STAGES = [
  'ffmpegSpawned',
  'firstBytes',
  'init',
  'firstFragment',
  'firstPart',
  'playlistAsked',
  'playlistAnswered',
] as const;

export type StartupStage = (typeof STARTUP_STAGES)[number];

export class StartupTrace {
  private readonly openedAt: number;
  private readonly reached = new Map<StartupStage, number>();

  constructor(private readonly clock: Clock) {
    this.openedAt = clock.now();
  }

  /** Records the stage if it is the first time; true if it was. */
  mark(stage: StartupStage): boolean {
    if (this.reached.has(stage)) return false;
    this.reached.set(stage, this.clock.now() - this.openedAt);
    return true;
  }

  /** The stages reached so far, in ms after the stream was opened, in stage order. */
  offsets(): Partial<Record<StartupStage, number>> {
    const out: Partial<Record<StartupStage, number>> = {};
    for (const stage of STARTUP_STAGES) {
      const ms = this.reached.get(stage);
      if (ms !== undefined) out[stage] = ms;
    }
    return out;
  }
}
