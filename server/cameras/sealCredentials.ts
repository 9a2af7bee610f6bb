import { auditBy, SYSTEM_ACTOR } from '../audit/actor';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { RecordingsSourceSchema, SourceDescriptorSchema } from '../../shared/domain/cameras';
import { cameraSecretsOf, type CameraSecrets } from './cameraSecrets';
import { storeLiveSource, storeRecordingsSource, type StoredSource } from './sourceSealing';

/**
 * Rows that may still hold a secret in plain text: an over-approximation the code below narrows.
 * Any "@" (a user:password@ in a URL) or a username or password field is looked at.
 */
const MAYBE_PLAIN = `sealed is null and (descriptor ? 'username' or descriptor ? 'password'
  or strpos(descriptor::text, '@') > 0 or descriptor::text ~* '[?&][a-z_]*(pass|pwd|token|key|secret|sig|auth|cred)[a-z_]*=')`;

interface PlainRow {
  readonly camera_id: string;
  readonly descriptor: unknown;
}

const parsed = (raw: unknown): unknown => (typeof raw === 'string' ? JSON.parse(raw) : raw);

async function sealTable(
  tx: Queryable,
  table: 'camera_sources' | 'camera_recording_sources',
  store: (row: PlainRow) => StoredSource,
): Promise<number> {
  // Locked, so two servers starting at once on one database seal each row once.
  const res = await tx.query<PlainRow>(
    `select camera_id, descriptor from ${table} where ${MAYBE_PLAIN} for update`,
  );
  let sealed = 0;
  for (const row of res.rows) {
    const stored = store(row);
    if (stored.sealed === null) continue;
    await tx.query(`update ${table} set descriptor = $2, sealed = $3 where camera_id = $1`, [
      row.camera_id,
      JSON.stringify(stored.descriptor),
      stored.sealed,
    ]);
    sealed += 1;
  }
  return sealed;
}

/** How many rows still hold credentials in plain text (0 after the first start past 0020). */
export async function countPlainCredentials(db: Queryable): Promise<number> {
  const res = await db.query<{ n: number }>(
    `select (select count(*) from camera_sources where ${MAYBE_PLAIN})::int
          + (select count(*) from camera_recording_sources where ${MAYBE_PLAIN})::int as n`,
  );
  return Number(res.rows[0]!.n);
}

/**
 * The second half of migration 0020: credentials written before it are sealed in place, in one
 * transaction, with one audit entry giving the counts. Runs whenever a server or the command line
 * opens the database; with nothing left to seal it only reads, and writes no key file.
 */
export async function sealPlainCredentials(
  ctx: ServerContext,
  secrets: CameraSecrets = cameraSecretsOf(ctx.config),
): Promise<{ live: number; recordings: number }> {
  if ((await countPlainCredentials(ctx.store)) === 0) return { live: 0, recordings: 0 };
  const { value } = await ctx.record({
    apply: async ({ tx }) => ({
      live: await sealTable(tx, 'camera_sources', (r) =>
        storeLiveSource(secrets, r.camera_id, SourceDescriptorSchema.parse(parsed(r.descriptor))),
      ),
      recordings: await sealTable(tx, 'camera_recording_sources', (r) =>
        storeRecordingsSource(
          secrets,
          r.camera_id,
          RecordingsSourceSchema.parse(parsed(r.descriptor)),
        ),
      ),
    }),
    audit: (counts) =>
      auditBy(SYSTEM_ACTOR, {
        action: 'camera.credentials.seal',
        outcome: 'success',
        details: { liveSources: counts.live, recordingsSources: counts.recordings },
      }),
    event: null,
  });
  return value;
}
