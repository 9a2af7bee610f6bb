import {
  AGENCY_SECTIONS,
  type AgencySectionName,
  type AgencySectionValue,
} from '../../shared/api/agency';
import type { AgencyConfig } from '../../shared/domain/agency';

/** A validation message, keyed by the field it names within the section ("reach.incident.count"). */
export type FieldErrors = Readonly<Record<string, string>>;

/** The section's own schema checks the draft field by field, exactly as the server will. */
export function validateSection(
  name: AgencySectionName,
  draft: unknown,
):
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errors: FieldErrors } {
  const parsed = AGENCY_SECTIONS[name].body.safeParse(draft);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The section's current value in a configuration. */
export function sectionOf<N extends AgencySectionName>(
  config: AgencyConfig,
  name: N,
): AgencySectionValue<N> {
  return (
    AGENCY_SECTIONS[name] as unknown as { read(c: AgencyConfig): AgencySectionValue<N> }
  ).read(config);
}

/** One difference between the saved section and the draft, at a field. */
export interface FieldChange {
  /** "reach.incident.count", "rules.1", or "" for the section as a whole. */
  readonly path: string;
  /** undefined: the field is new (or removed, for `after`). */
  readonly before: unknown;
  readonly after: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Geometry is compared whole: a boundary's thousand positions are one change, not a thousand. */
function isGeometry(v: unknown): boolean {
  return isPlainObject(v) && (v.type === 'Polygon' || v.type === 'MultiPolygon');
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What saving the draft changes: objects are walked field by field, lists and geometries are
 * compared whole (a list's items move, and "rules changed from 2 to 3 items" reads better than a
 * shifted index).
 */
export function diffSection(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (same(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after) && !isGeometry(before) && !isGeometry(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffSection(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ path, before, after }];
}

/** A value as the change list shows it: short, one line. */
export function describeValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') {
    if (v.startsWith('data:image/')) return `image (${Math.round((v.length * 3) / 4 / 1024)} KB)`;
    return v.length > 80 ? `"${v.slice(0, 77)}…"` : `"${v}"`;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (isGeometry(v)) {
    const g = v as { type: string; coordinates: unknown[] };
    const count = JSON.stringify(g.coordinates).match(/\],?\[/g)?.length ?? 0;
    return `${g.type} (${count + 1} positions)`;
  }
  if (Array.isArray(v)) {
    const text = JSON.stringify(v);
    return text.length <= 80 ? text : `${v.length} item${v.length === 1 ? '' : 's'}`;
  }
  const text = JSON.stringify(v);
  return text.length <= 80 ? text : `${Object.keys(v as object).length} fields`;
}
