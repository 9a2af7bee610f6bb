import type { z } from 'zod';
import {
  SharingPolicySchema,
  type SharingAccess,
  type SharingDecision,
  type SharingPolicy,
} from '../../../shared/domain/sharingPolicy';
import { evaluateSharingPolicy } from '../../../shared/policy/evaluateSharingPolicy';

/** Shorthands for the policy tests: expected instants are written with explicit UTC offsets. */

export const NY = 'America/New_York';

export function policy(input: z.input<typeof SharingPolicySchema>): SharingPolicy {
  return SharingPolicySchema.parse(input);
}

export interface Ask {
  readonly tz?: string;
  readonly alarm?: boolean;
  readonly access?: SharingAccess;
}

/** Evaluates at an ISO instant such as "2026-01-05T08:00-05:00". */
export function ask(p: SharingPolicy, at: string | number, opts: Ask = {}): SharingDecision {
  const instant = typeof at === 'number' ? at : Date.parse(at);
  if (typeof at === 'string' && Number.isNaN(instant))
    throw new Error(`bad instant in test: ${at}`);
  return evaluateSharingPolicy(p, {
    at: instant,
    timeZone: opts.tz ?? NY,
    alarmActive: opts.alarm ?? false,
    access: opts.access ?? 'live',
  });
}

const iso = (t: number | null) => (t === null ? 'never' : new Date(t).toISOString());

/** A decision as one readable line, so that a failing table row says what went wrong. */
export function summary(d: SharingDecision): string {
  return d.allowed ? `allowed until ${iso(d.until)}` : `${d.denial}, next ${iso(d.nextOpen)}`;
}

/** The summary of an allowed decision lasting until `until` (an ISO instant, or null). */
export function allowedUntil(until: string | null): string {
  return `allowed until ${until === null ? 'never' : iso(Date.parse(until))}`;
}

/** The summary of a denial, with the instant it next opens (or null). */
export function denied(denial: string, nextOpen: string | null = null): string {
  return `${denial}, next ${nextOpen === null ? 'never' : iso(Date.parse(nextOpen))}`;
}
