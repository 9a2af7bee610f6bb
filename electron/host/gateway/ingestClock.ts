/**
 * Maps a stream's media time to wall-clock time for EXT-X-PROGRAM-DATE-TIME.
 *
 * Each fragment is stamped with the moment the gateway received it. Arrival times jitter (pipe
 * buffering, a busy event loop), so the mapping uses the smallest offset (arrival minus media time)
 * seen over a recent window: the least-delayed arrival is the best estimate of when a frame was
 * really ingested. The window lets the mapping follow a source whose clock drifts from ours.
 */
export class IngestClock {
  private samples: { readonly atMs: number; readonly offsetMs: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Records that media time `mediaMs` arrived at wall time `arrivalMs`. */
  observe(mediaMs: number, arrivalMs: number): void {
    const offsetMs = arrivalMs - mediaMs;
    this.samples.push({ atMs: arrivalMs, offsetMs });
    const horizon = arrivalMs - this.windowMs;
    let drop = 0;
    while (drop < this.samples.length - 1 && this.samples[drop]!.atMs < horizon) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  /** Wall time (ms since the epoch) of media time `mediaMs`; null before the first observation. */
  wallTimeOf(mediaMs: number): number | null {
    if (this.samples.length === 0) return null;
    let min = Infinity;
    for (const s of this.samples) if (s.offsetMs < min) min = s.offsetMs;
    return Math.round(mediaMs + min);
  }

  /** A new ffmpeg run has a new relation between media time and arrival: start over. */
  reset(): void {
    this.samples = [];
  }
}
