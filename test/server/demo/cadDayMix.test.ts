import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CAD_CALL_TYPES,
  CALLS_BY_HOUR,
  CALLS_PER_DAY,
  ON_SCENE_MINUTES,
} from '../../../server/demo/cadDayMix';

const CSV = join(import.meta.dirname, '../../fixtures/seattle-911/seattle-911-2016-03-25.csv');

/** One CSV line's fields: commas inside double quotes do not split. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** "03/25/2016 11:58:30 PM" (local, no zone) as minutes on one running count, and its hour. */
function timeOf(local: string): { minutes: number; hour: number } {
  const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d) (AM|PM)$/.exec(local);
  if (!m) throw new Error(`not a time: ${local}`);
  const hour = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
  const day = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) / 60_000;
  return { minutes: day + hour * 60 + Number(m[5]) + Number(m[6]) / 60, hour };
}

function rows(): Record<string, string>[] {
  const [head, ...lines] = readFileSync(CSV, 'utf8').trim().split(/\r?\n/);
  const names = fields(head!);
  return lines.map((l) => Object.fromEntries(fields(l).map((v, i) => [names[i], v])));
}

describe("the demo CAD's day, derived from the public source", () => {
  const data = rows();

  it('has the source day: 706 calls', () => {
    expect(data).toHaveLength(706);
    expect(CALLS_PER_DAY).toBe(706);
  });

  it('has every call type of the source with its count and how many had an officer on scene', () => {
    const derived = new Map<string, { count: number; onScene: number }>();
    for (const r of data) {
      const g = r['Initial Type Group']!;
      const d = derived.get(g) ?? { count: 0, onScene: 0 };
      d.count += 1;
      if (r['At Scene Time']) d.onScene += 1;
      derived.set(g, d);
    }
    expect(
      Object.fromEntries(
        CAD_CALL_TYPES.map((t) => [t.group, { count: t.count, onScene: t.onScene }]),
      ),
    ).toEqual(Object.fromEntries(derived));
  });

  it('has the calls per hour and the time on scene of the source', () => {
    const hours = Array.from({ length: 24 }, () => 0);
    const onScene: number[] = [];
    for (const r of data) {
      const cleared = timeOf(r['Event Clearance Date']!);
      hours[cleared.hour]! += 1;
      if (r['At Scene Time']) onScene.push(cleared.minutes - timeOf(r['At Scene Time']).minutes);
    }
    expect(CALLS_BY_HOUR).toEqual(hours);
    onScene.sort((a, b) => a - b);
    const at = (p: number) => Math.round(onScene[Math.round(p * (onScene.length - 1))]!);
    expect(ON_SCENE_MINUTES).toEqual({
      p10: at(0.1),
      p25: at(0.25),
      p50: at(0.5),
      p75: at(0.75),
      p90: at(0.9),
    });
  });

  it('gives each call type a priority spread that sums to 100 and unique codes', () => {
    for (const t of CAD_CALL_TYPES) {
      expect(
        Object.values(t.priorities).reduce((s, n) => s + n, 0),
        t.group,
      ).toBe(100);
    }
    expect(new Set(CAD_CALL_TYPES.map((t) => t.code)).size).toBe(CAD_CALL_TYPES.length);
  });
});
