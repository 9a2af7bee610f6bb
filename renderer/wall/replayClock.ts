/**
 * Replay in clock time (docs/console.md, "Tile tools"): the frame shown and the replay's range as
 * the agency's wall-clock time, and stepping frame by frame. Pure, so it is tested without a video.
 */

/** The demo's and most cameras' rate when the stream does not say; a step is one frame of it. */
export const DEFAULT_FRAME_RATE = 25;

/** "14:03:27" in the agency's time zone. */
export function clockTime(atMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(atMs));
}

/** The wall-clock instant of a replay position: its first frame's time plus the position. */
export function replayInstant(startMs: number, positionSec: number): number {
  return startMs + Math.round(positionSec * 1000);
}

/**
 * The position one frame before or after, on the frame grid (so repeated steps do not drift), kept
 * within the replay. A step is `1 / fps` seconds.
 */
export function frameStep(
  positionSec: number,
  step: -1 | 1,
  durationSec: number,
  fps = DEFAULT_FRAME_RATE,
): number {
  const frame = Math.round(positionSec * fps) + step;
  const last = Math.max(0, Math.floor(durationSec * fps) - 1);
  return Math.min(last, Math.max(0, frame)) / fps;
}

/** "14:03:02 – 14:03:32" for a replay's range. */
export function clockRange(startMs: number, endMs: number, timeZone: string): string {
  return `${clockTime(startMs, timeZone)} – ${clockTime(endMs, timeZone)}`;
}
