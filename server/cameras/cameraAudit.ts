import type { Queryable } from '../store/store';
import type { Camera } from '../../shared/domain/cameras';
import type { PolicyKeeper } from '../../shared/domain/cameraAdmin';
import { redacted } from './sourceSealing';

/**
 * What a camera's audit entries say of it (docs/cameras-admin.md, "Audit"): its public fields
 * before and after a change. A source appears only without its secret parts, with whether it has
 * credentials; an owner's contact only as set, replaced or removed.
 */

const AUDITED = [
  'name',
  'lat',
  'lng',
  'address',
  'notes',
  'retentionDays',
  'sharing',
  'bearingDeg',
  'fovDeg',
  'rangeM',
  'status',
] as const;

export function auditedFields(c: Camera): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of AUDITED) out[k] = c[k];
  return out;
}

/** The fields whose values differ, each with its value before and after. */
export function fieldDiff(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      out[k] = { before: before[k] ?? null, after: after[k] ?? null };
  }
  return out;
}

/**
 * A source as the trail records it: its kind and whether it has credentials. Its address is not
 * recorded either: a camera's address stays in the server (docs/decisions/0016).
 */
export function credentialNote(source: object): Record<string, unknown> {
  const { descriptor, secret } = redacted({ ...source } as Record<string, unknown>, [
    'url',
    'substreamUrl',
    'urlTemplate',
  ]);
  const note: Record<string, unknown> = {};
  for (const k of ['protocol', 'codecHint', 'ptz'] as const)
    if (descriptor[k] !== undefined) note[k] = descriptor[k];
  if ('url' in descriptor) note.substream = descriptor.substreamUrl !== undefined;
  note.credentials = secret ? 'set' : 'not set';
  return note;
}

export async function policyKeeperOf(db: Queryable, id: string): Promise<PolicyKeeper> {
  const res = await db.query<{ policy_keeper: PolicyKeeper }>(
    'select policy_keeper from cameras where id = $1',
    [id],
  );
  return res.rows[0]?.policy_keeper ?? 'agency';
}
