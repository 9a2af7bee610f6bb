import { WEEKDAYS, type ScheduleWindow, type Weekday } from '../../shared/domain/sharingPolicy';

/**
 * Schedule windows as one spreadsheet cell: "mon-fri 08:00-18:00; sat,sun 10:00-14:00".
 * Days are three-letter names, lists (sat,sun), ranges (mon-fri, fri-mon wraps) or "daily";
 * `end` at or before `start` runs past midnight, as in the policy itself.
 */

const WINDOW_RE = /^([a-z][a-z,\s-]*?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/;

const pad = (t: string) => (t.length === 4 ? `0${t}` : t);

function parseDays(text: string): Weekday[] | string {
  if (text === 'daily') return [...WEEKDAYS];
  const days: Weekday[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const [from, to, extra] = part.split('-').map((d) => d.trim());
    const a = WEEKDAYS.indexOf(from as Weekday);
    const b = to === undefined ? a : WEEKDAYS.indexOf(to as Weekday);
    if (a < 0 || b < 0 || extra !== undefined) {
      return `"${part}" is not a day or a range of days (mon, tue, ..., sun; mon-fri; daily)`;
    }
    for (let i = a; ; i = (i + 1) % 7) {
      if (!days.includes(WEEKDAYS[i]!)) days.push(WEEKDAYS[i]!);
      if (i === b) break;
    }
  }
  return days;
}

/** Parses the cell; a string result says what is wrong. Times are checked by the policy schema. */
export function parseWindowsText(cell: string): ScheduleWindow[] | string {
  const windows: ScheduleWindow[] = [];
  for (const part of cell.split(';').map((p) => p.trim().toLowerCase())) {
    if (part === '') continue;
    const m = WINDOW_RE.exec(part);
    if (!m) return `"${part}" is not "days HH:MM-HH:MM", e.g. "mon-fri 08:00-18:00"`;
    const days = parseDays(m[1]!.trim());
    if (typeof days === 'string') return days;
    windows.push({ days, start: pad(m[2]!), end: pad(m[3]!) });
  }
  return windows;
}

/** The cell for a list of windows: runs of three or more days become ranges. */
export function formatWindowsText(windows: readonly ScheduleWindow[]): string {
  return windows
    .map((w) => {
      const indexes = [...new Set(w.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
      const runs: number[][] = [];
      for (const i of indexes) {
        const run = runs[runs.length - 1];
        if (run && run[run.length - 1] === i - 1) run.push(i);
        else runs.push([i]);
      }
      const days =
        indexes.length === 7
          ? 'daily'
          : runs
              .flatMap((r) =>
                r.length >= 3
                  ? [`${WEEKDAYS[r[0]!]}-${WEEKDAYS[r[r.length - 1]!]}`]
                  : r.map((i) => WEEKDAYS[i]!),
              )
              .join(',');
      return `${days} ${w.start}-${w.end}`;
    })
    .join('; ');
}
