import type { TipMediaVariant } from '../../shared/api/tips';
import type { Tip, TipAttachment } from '../../shared/domain/tips';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';
import { reasonFor } from '../wall/reasonStore';
import { attachmentSummary, tipsterName } from './tipLabels';
import { useTipStore } from './tipStore';

/**
 * The subject under which the reason for tip media is remembered. One for the whole tip line:
 * once the analyst has said why they open tips' media under an assignment, the next tip's media
 * opens under it without asking again this shift (a new assignment asks again), and the server
 * audits every opening with that reason.
 */
export const TIP_MEDIA_SUBJECT = 'tip-line-media';

/**
 * Opens a tip's media: the structured reason (remembered for the shift, else asked with the
 * camera views' dialog), then a grant from the server, which audits the opening.
 */
export async function openTipMedia(tip: Tip): Promise<void> {
  const store = useTipStore.getState();
  const reason = await reasonFor({
    cameraIds: [TIP_MEDIA_SUBJECT],
    cameraNames: [`${tipsterName(tip.alias)}: ${attachmentSummary(tip)}`],
    purpose: 'tip_media',
  });
  if (!reason) return;
  const r = await call('tips.openMedia', { id: tip.id, reason });
  // The analyst may have moved to another tip while the server answered.
  if (useTipStore.getState().selectedId !== tip.id) return;
  if (r.ok) store.grantMedia({ ...r.value, tipId: tip.id });
  else store.grantMedia(null, r.error.message);
}

/** The rendition to show as a thumbnail: the preview when there is one, else a photo itself. */
export function thumbnailVariant(a: TipAttachment): TipMediaVariant | null {
  if (a.state !== 'stored') return null;
  if (a.preview) return 'preview';
  return a.kind === 'image' ? 'original' : null;
}

/** What a full view plays or shows: a video's browser-playable rendition, a photo's original
 * (or its preview when the phone's format, such as HEIC, does not show in a browser). */
export function fullVariant(a: TipAttachment): TipMediaVariant | null {
  if (a.state !== 'stored') return null;
  if (a.kind === 'video') return a.playable ? 'playable' : null;
  if (a.contentType === 'image/heic' || a.contentType === 'image/heif')
    return a.preview ? 'preview' : null;
  return 'original';
}

/** The host's URL of one file of a grant (the host streams it from the server). */
export function tipMediaUrl(token: string, n: number, variant: TipMediaVariant): string {
  const root = useSessionStore.getState().info?.tipMediaRoot ?? '/tip-media/';
  return `${root}${encodeURIComponent(token)}/${n}/${variant}`;
}
