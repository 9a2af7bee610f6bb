import { readFile } from 'node:fs/promises';
import type { ServerContext } from '../context';
import { auditBy } from '../audit/actor';
import { backoffDelay, type BackoffPolicy } from '../../shared/time/backoff';
import { TIP_MEDIA_TYPES } from '../../shared/domain/tips';
import { openMediaStore, type MediaStore } from '../media/mediaStore';
import { makeImagePreview, makePlayable } from '../media/playableVideo';
import { fetchProviderMedia } from './mediaFetch';
import { locationInVCard } from './inboundMessage';
import { locateTip, TIP_LINE_ACTOR } from './tipChanges';
import {
  attachmentFailed,
  attachmentStored,
  claimDueAttachments,
  getTip,
  mediaKind,
  type DueAttachment,
} from './tipRepository';

/** Tries per attachment before it is marked failed for good. */
export const MAX_MEDIA_ATTEMPTS = 8;
/** 5 s, 10 s, 20 s ... up to 10 min between tries: a provider outage of an hour is ridden out. */
export const MEDIA_RETRY: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000 };
/** An attachment being fetched is not taken by another run for this long. */
const LEASE_MS = 5 * 60_000;
/** Attachments fetched at once: the server's two cores are shared with everything else. */
const BATCH = 4;
/** A location card is a few hundred bytes. */
const VCARD_MAX_BYTES = 64 * 1024;
const VCARD_TYPES = ['text/vcard', 'text/x-vcard', 'text/directory'];

/**
 * Fetches tips' photos and videos after the webhook has been acknowledged (docs/tip-line.md,
 * "Media"): into the content-addressed store with their SHA-256, with a playable MP4 and a
 * poster for videos and a JPEG for photos a browser cannot show. A failure is retried with
 * backoff, and shown with its reason; the tip itself is never at risk.
 */
export class TipMediaWorker {
  private storePromise: Promise<MediaStore> | null = null;

  constructor(private readonly ctx: ServerContext) {}

  store(): Promise<MediaStore> {
    this.storePromise ??= openMediaStore(this.ctx.config.mediaDir);
    return this.storePromise;
  }

  /** Looks for due attachments now (a tip with media has just been filed). */
  kick(): void {
    void this.ctx.tasks.runNow('tips.media');
  }

  /** Fetches every attachment that is due, a batch at a time. */
  async runDue(): Promise<void> {
    for (;;) {
      const now = new Date(this.ctx.clock.now());
      const due = await claimDueAttachments(
        this.ctx.store,
        now,
        new Date(now.getTime() + LEASE_MS),
        BATCH,
      );
      if (due.length === 0) return;
      await Promise.all(due.map((a) => this.fetchOne(a)));
    }
  }

  private async fetchOne(a: DueAttachment): Promise<void> {
    const provider = this.ctx.config.smsProvider;
    if (provider === null) {
      return this.failed(
        a,
        'The tip line is not configured, so its media cannot be fetched.',
        false,
      );
    }
    const store = await this.store();
    const vcard = VCARD_TYPES.includes(a.contentType);
    const got = await fetchProviderMedia(a.url, {
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      apiUrl: provider.apiUrl,
      maxBytes: vcard ? VCARD_MAX_BYTES : this.ctx.config.tipMediaMaxBytes,
      allowedTypes: vcard ? VCARD_TYPES : TIP_MEDIA_TYPES,
      store,
    });
    if (!got.ok) return this.failed(a, got.reason, got.retryable);

    let previewSha: string | null = null;
    let playableSha: string | null = null;
    let note: string | null = null;
    const kind = mediaKind(got.contentType);
    if (kind === 'video') {
      const made = await makePlayable(store, got.sha256, got.contentType);
      if ('failed' in made) note = `Stored as received; it cannot be played here: ${made.failed}`;
      else {
        playableSha = made.playableSha;
        previewSha = made.posterSha;
      }
    } else if (kind === 'image') {
      const made = await makeImagePreview(store, got.sha256, got.contentType);
      if ('failed' in made) note = `Stored as received; it cannot be shown here: ${made.failed}`;
      else if (made.previewSha !== got.sha256) previewSha = made.previewSha;
    } else if (vcard) {
      const text = await readFile(store.pathOf(got.sha256), 'utf8');
      const at = locationInVCard(text);
      if (at) {
        const tip = await getTip(this.ctx.store, a.tipId);
        if (tip && tip.sharedLocation === null) {
          await locateTip(
            this.ctx,
            { id: tip.id, state: tip.state, assignedTo: tip.assignedTo?.id ?? null },
            { ...at, source: 'vcard' },
          );
        }
      }
    }
    await this.ctx.record({
      apply: ({ tx }) =>
        attachmentStored(tx, a.tipId, a.n, {
          sha256: got.sha256,
          size: got.size,
          previewSha256: previewSha,
          playableSha256: playableSha,
          note,
        }),
      audit: auditBy(TIP_LINE_ACTOR, {
        action: 'tip.attachment.store',
        targetType: 'tip',
        targetId: a.tipId,
        outcome: 'success',
        details: { n: a.n, sha256: got.sha256, size: got.size, contentType: got.contentType },
      }),
      event: {
        type: 'tip.attachmentChanged',
        payload: { tipId: a.tipId, n: a.n, state: 'stored', failure: note },
      },
    });
  }

  private async failed(a: DueAttachment, reason: string, retryable: boolean): Promise<void> {
    const again = retryable && a.attempts < MAX_MEDIA_ATTEMPTS;
    const retryAt = again
      ? new Date(this.ctx.clock.now() + backoffDelay(MEDIA_RETRY, a.attempts))
      : null;
    const failure = again
      ? `${reason} Trying again (attempt ${a.attempts} of ${MAX_MEDIA_ATTEMPTS}).`
      : reason;
    await this.ctx.record({
      apply: ({ tx }) => attachmentFailed(tx, a.tipId, a.n, failure, retryAt),
      audit: auditBy(TIP_LINE_ACTOR, {
        action: again ? 'tip.attachment.retry' : 'tip.attachment.fail',
        targetType: 'tip',
        targetId: a.tipId,
        outcome: 'failure',
        details: { n: a.n, reason, attempt: a.attempts },
      }),
      event: {
        type: 'tip.attachmentChanged',
        payload: { tipId: a.tipId, n: a.n, state: again ? 'pending' : 'failed', failure },
      },
    });
  }
}
