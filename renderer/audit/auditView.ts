import type { Permission } from '../../shared/domain/roles';
import { VIEW_REASON_LABELS, type ViewReasonCode } from '../../shared/domain/reasons';
import type {
  AuditEntry,
  AuditFilters,
  ChainHealth,
  ReviewedFlag,
} from '../../shared/api/auditReview';

/**
 * The audit review panel's logic, apart from React: the filter form as the call's arguments,
 * where an entry's link goes for this reader, how reasons and the chain's health read, and the
 * flags in the order a reviewer works through them.
 */

/** The filter form as typed: every field text, empty meaning "any". */
export interface FilterForm {
  readonly actorId: string;
  readonly cameraId: string;
  readonly caseNumber: string;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly action: string;
  readonly outcome: string;
  /** Local date-times from the form's inputs (YYYY-MM-DDTHH:MM), or empty. */
  readonly from: string;
  readonly to: string;
}

export const EMPTY_FILTERS: FilterForm = {
  actorId: '',
  cameraId: '',
  caseNumber: '',
  reasonCode: '',
  reasonText: '',
  action: '',
  outcome: '',
  from: '',
  to: '',
};

/**
 * A datetime-local input's value as an instant. The input is read in the console's own zone
 * (as a browser reads it); empty or unreadable gives undefined, so the server's default holds.
 */
export function instantOfInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * An instant as a datetime-local input's value, in the console's own zone (the inverse of
 * `instantOfInput`). The input holds whole minutes: `up` rounds an end up, so that the entry at
 * the very end of a stretch (a reveal's flag ends a millisecond after it) stays inside.
 */
export function inputOfInstant(iso: string, up = false): string {
  const minute = 60_000;
  const ms = Date.parse(iso);
  const d = new Date(up ? Math.ceil(ms / minute) * minute : Math.floor(ms / minute) * minute);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The filters that show the entries behind a flag: its user, camera and stretch of time. */
export function flagEntriesFilter(flag: {
  readonly actorId: string;
  readonly cameraId: string | null;
  readonly from: string;
  readonly to: string;
}): Partial<FilterForm> {
  return {
    ...EMPTY_FILTERS,
    actorId: flag.actorId,
    cameraId: flag.cameraId ?? '',
    from: inputOfInstant(flag.from),
    to: inputOfInstant(flag.to, true),
  };
}

/** The form as the calls' filters: trimmed, empty fields left out. */
export function filtersOf(form: FilterForm): AuditFilters {
  const text = (v: string) => (v.trim() === '' ? undefined : v.trim());
  const out: Record<string, string | undefined> = {
    actorId: text(form.actorId),
    cameraId: text(form.cameraId),
    caseNumber: text(form.caseNumber),
    reasonCode: text(form.reasonCode),
    reasonText: text(form.reasonText),
    action: text(form.action),
    outcome: text(form.outcome),
    from: instantOfInput(form.from),
    to: instantOfInput(form.to),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as AuditFilters;
}

/** Where following a link takes the reader. */
export type LinkAction =
  | { readonly kind: 'map'; readonly cameraId: string }
  | { readonly kind: 'case'; readonly number: string }
  | { readonly kind: 'tip'; readonly id: string }
  | { readonly kind: 'incident'; readonly id: string }
  | { readonly kind: 'pull'; readonly id: string }
  /** The reader may not open it (an auditor and a case): the review narrows to it instead. */
  | { readonly kind: 'filter'; readonly patch: Partial<FilterForm> };

/**
 * Where an entry's target leads: a camera to the map (everyone has the camera list), a case,
 * tip, incident or pull to its panel for a reader whose role opens it, anything else to the
 * review filtered to it (a user, and a case for an auditor, who reads no cases). Null: nothing
 * this reader may open.
 */
export function linkFor(
  target: { readonly kind: string; readonly id: string },
  permissions: readonly Permission[],
): LinkAction | null {
  const may = (p: Permission) => permissions.includes(p);
  switch (target.kind) {
    case 'camera':
      return may('cameras.read')
        ? { kind: 'map', cameraId: target.id }
        : { kind: 'filter', patch: { cameraId: target.id } };
    case 'case':
      return may('cases.read')
        ? { kind: 'case', number: target.id }
        : { kind: 'filter', patch: { caseNumber: target.id } };
    case 'tip':
      if (may('tips.read')) return { kind: 'tip', id: target.id };
      break;
    case 'incident':
      if (may('incidents.read')) return { kind: 'incident', id: target.id };
      break;
    case 'pull':
      if (may('pulls.read')) return { kind: 'pull', id: target.id };
      break;
    case 'user':
      return { kind: 'filter', patch: { actorId: target.id } };
  }
  // The reader's role opens nothing of it: the entry shows its name, with no link.
  return null;
}

/** The link of the case or incident number a reason names. */
export function referenceLink(reference: string, permissions: readonly Permission[]): LinkAction {
  return linkFor({ kind: 'case', id: reference }, permissions)!;
}

/** A reason as a person reads it: its label, the number, the note. */
export function reasonLine(reason: AuditEntry['reason']): string {
  if (!reason) return '';
  const label = reason.code
    ? (VIEW_REASON_LABELS[reason.code as ViewReasonCode] ?? reason.code)
    : 'No reason';
  return [label, reason.reference, reason.note].filter((x) => x).join(' · ');
}

/** What an entry is about, for the table: the name, else the trail's type and id. */
export function targetLine(entry: AuditEntry): string {
  const t = entry.target;
  if (!t) return '';
  return t.label ? `${t.label}` : `${t.type} ${t.id}`;
}

/** The counts' reason row label. */
export function reasonCountLabel(code: string | null): string {
  if (code === null) return 'No reason given';
  return VIEW_REASON_LABELS[code as ViewReasonCode] ?? code;
}

/** Waiting flags first (newest first), then the reviewed ones. */
export function flagsForReview(flags: readonly ReviewedFlag[]): ReviewedFlag[] {
  const waiting = flags.filter((f) => f.review === null);
  const reviewed = flags.filter((f) => f.review !== null);
  return [...waiting, ...reviewed];
}

/** The chain's health in one line, and whether it needs attention. */
export function healthLine(
  health: ChainHealth | null,
  now: number,
): { readonly text: string; readonly alarm: boolean } {
  if (!health?.last) {
    return { text: 'The chain has not been verified on this server yet.', alarm: false };
  }
  const last = health.last;
  if (!last.ok) {
    return { text: `Verification FAILED at ${last.at}: ${last.problem ?? 'unknown'}`, alarm: true };
  }
  const hours = Math.floor((now - Date.parse(last.at)) / 3_600_000);
  // A daily verification more than two days old means the schedule stopped.
  const stale = hours > 48;
  return {
    text:
      `Verified at ${last.at}: ${last.rowsChecked} entries, up to entry ${last.lastId ?? 'none'}` +
      (stale ? ` — ${hours} hours ago; the daily verification has not run since.` : '.'),
    alarm: stale,
  };
}

/** The export's two files, as the console saves them. */
export function exportFiles(e: {
  readonly filename: string;
  readonly csv: string;
  readonly signatureFilename: string;
  readonly signature: unknown;
}): { readonly name: string; readonly type: string; readonly text: string }[] {
  return [
    { name: e.filename, type: 'text/csv', text: e.csv },
    {
      name: e.signatureFilename,
      type: 'application/json',
      text: `${JSON.stringify(e.signature, null, 2)}\n`,
    },
  ];
}
