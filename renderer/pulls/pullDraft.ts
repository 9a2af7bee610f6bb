import { NewPullSchema, type NewPull } from '../../shared/api/pulls';
import {
  DEFAULT_PULL_RADIUS_M,
  type PullPosition,
  type PullUrgency,
} from '../../shared/domain/pulls';

/** The "log radio pull" form as typed: every field a string, times as datetime-local values. */
export interface PullDraft {
  readonly officerName: string;
  readonly badge: string;
  readonly unit: string;
  readonly caseNumber: string;
  readonly incidentId: string;
  readonly address: string;
  readonly from: string;
  readonly to: string;
  readonly lookFor: string;
  readonly urgency: PullUrgency;
  readonly radiusM: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A datetime-local value (the browser's zone) for an instant, to the minute. */
export function localInputValue(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A fresh form: the last hour, routine, the default radius. */
export function emptyDraft(now: number): PullDraft {
  const minute = Math.floor(now / 60_000) * 60_000;
  return {
    officerName: '',
    badge: '',
    unit: '',
    caseNumber: '',
    incidentId: '',
    address: '',
    from: localInputValue(minute - 3_600_000),
    to: localInputValue(minute),
    lookFor: '',
    urgency: 'routine',
    radiusM: DEFAULT_PULL_RADIUS_M,
  };
}

const given = (s: string) => (s.trim() === '' ? undefined : s.trim());

function instant(value: string): string | undefined {
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

export type DraftResult =
  | { readonly ok: true; readonly pull: NewPull }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** Form field names for the schema's paths, so that an error shows beside what to fix. */
const FIELD_OF: Readonly<Record<string, string>> = {
  'requester.name': 'officerName',
  'requester.badge': 'badge',
  'requester.unit': 'unit',
  requester: 'officerName',
  windowStart: 'from',
  windowEnd: 'to',
  position: 'location',
  'position.lat': 'location',
  'position.lon': 'location',
};

/**
 * The request the form describes, checked with the contract's own schema, or the errors by form
 * field. The location is the point picked on the map.
 */
export function pullFromDraft(draft: PullDraft, picked: PullPosition | null): DraftResult {
  const candidate = {
    requester: {
      ...(given(draft.officerName) ? { name: given(draft.officerName) } : {}),
      ...(given(draft.badge) ? { badge: given(draft.badge) } : {}),
      ...(given(draft.unit) ? { unit: given(draft.unit) } : {}),
    },
    ...(given(draft.caseNumber) ? { caseNumber: given(draft.caseNumber) } : {}),
    ...(given(draft.incidentId) ? { incidentId: given(draft.incidentId) } : {}),
    position: picked ?? undefined,
    ...(given(draft.address) ? { address: given(draft.address) } : {}),
    radiusM: draft.radiusM,
    windowStart: instant(draft.from),
    windowEnd: instant(draft.to),
    lookFor: draft.lookFor,
    urgency: draft.urgency,
  };
  const parsed = NewPullSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, pull: parsed.data };
  // The schema checks the whole (case or incident, window order) only once every field parses:
  // say those too, so that one try shows everything to fix.
  const errors: Record<string, string> = {};
  if (!candidate.caseNumber && !candidate.incidentId) {
    errors.caseNumber = 'a pull names a case number, an incident or both';
  }
  const start = Date.parse(candidate.windowStart ?? '');
  const end = Date.parse(candidate.windowEnd ?? '');
  if (start >= end) errors.to = 'the window ends after it starts';
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    const field = FIELD_OF[path] ?? path.split('.')[0] ?? 'form';
    const message =
      field === 'location' ? 'pick the place on the map' : (errors[field] ?? issue.message);
    errors[field] = message;
  }
  return { ok: false, errors };
}
