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

/** The wall-clock fields of an instant in a time zone, read back as if they were UTC. */
function zonedAsUtc(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(atMs));
  const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
}

/**
 * The last time the agency's clock read `hh:mm[:ss]` at or before `nowMs` (today's, or
 * yesterday's if today's is still to come): how an analyst names a moment to go back to. Null for
 * text that is not a time of day.
 */
export function lastClockTime(text: string, timeZone: string, nowMs: number): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(text.trim());
  if (!m) return null;
  const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  for (const daysBack of [0, 1]) {
    const day = zonedAsUtc(nowMs - daysBack * 86_400_000, timeZone);
    const midnight = day - (day % 86_400_000);
    const guess = midnight + seconds * 1000;
    // The zone's offset at that moment (twice, so that a change of offset that day is met).
    let at = guess - (zonedAsUtc(guess, timeZone) - guess);
    at = guess - (zonedAsUtc(at, timeZone) - at);
    if (at <= nowMs) return at;
  }
  return null;
}
