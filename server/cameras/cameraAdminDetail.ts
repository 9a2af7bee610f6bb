import type { Queryable } from '../store/store';
import type { CodecHint, SourceProtocol } from '../../shared/domain/cameras';
import type { PolicyKeeper } from '../../shared/domain/cameraAdmin';
import type { CameraAdminDetail } from '../../shared/api/cameraAdmin';
import { cameraFromRow } from './cameraRows';
import {
  findCamera,
  findOwnerContact,
  findStoredRecordingsSource,
  findStoredSource,
} from './cameraRepository';
import { shownDescriptor } from './sourceSealing';

const iso = (v: Date | string | null): string | null =>
  v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString();

/**
 * A camera as an admin edits it. Sources come from their stored, redacted descriptors: the
 * sealed part is never opened here, so no credential can reach the answer by mistake.
 */
export async function cameraAdminDetail(
  db: Queryable,
  id: string,
): Promise<CameraAdminDetail | null> {
  const row = await findCamera(db, id);
  if (!row) return null;
  const extra = await db.query<{
    policy_keeper: PolicyKeeper;
    merged_into: string | null;
    retired_at: Date | string | null;
  }>('select policy_keeper, merged_into, retired_at from cameras where id = $1', [id]);
  const live = await findStoredSource(db, id);
  const recordings = await findStoredRecordingsSource(db, id);
  const shownLive = live ? shownDescriptor(live) : null;
  const shownRecordings = recordings ? shownDescriptor(recordings) : null;
  return {
    camera: cameraFromRow(row),
    owner: row.kind === 'agency' ? null : await findOwnerContact(db, id),
    policyKeeper: extra.rows[0]!.policy_keeper,
    source:
      live && shownLive
        ? {
            protocol: shownLive.protocol as SourceProtocol,
            url: String(shownLive.url),
            substreamUrl:
              typeof shownLive.substreamUrl === 'string' ? shownLive.substreamUrl : null,
            codecHint: (shownLive.codecHint as CodecHint | undefined) ?? 'unknown',
            ptz: shownLive.ptz === true,
            ptzUrl: typeof shownLive.ptzUrl === 'string' ? shownLive.ptzUrl : null,
            ptzProtocol: shownLive.ptzProtocol === 'onvif' ? 'onvif' : 'json',
            credentials: live.sealed === null ? 'not set' : 'set',
          }
        : null,
    recordings:
      recordings && shownRecordings
        ? {
            urlTemplate: String(shownRecordings.urlTemplate),
            credentials: recordings.sealed === null ? 'not set' : 'set',
          }
        : null,
    mergedInto: extra.rows[0]!.merged_into,
    retiredAt: iso(extra.rows[0]!.retired_at),
  };
}
