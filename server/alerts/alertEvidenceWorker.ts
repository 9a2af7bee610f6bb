import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, SYSTEM_ACTOR } from '../audit/actor';
import { getAgency } from '../agency/agencyRepository';
import { mediaOriginFor } from '../../shared/domain/agency';
import { openMediaStore, type MediaStore } from '../media/mediaStore';
import { fetchVendorMedia, type HostLookup } from '../tips/mediaFetch';
import { backoffDelay, type BackoffPolicy } from '../../shared/time/backoff';
import {
  claimDueEvidence,
  evidenceFailed,
  evidenceStored,
  getAlert,
  type DueEvidence,
} from './alertRepository';
import { findIntegration } from '../integrations/integrationRepository';

/** Tries per image before it is marked failed for good. */
export const MAX_EVIDENCE_ATTEMPTS = 6;
/** 5 s, 10 s, 20 s ... up to 5 min between tries. */
export const EVIDENCE_RETRY: BackoffPolicy = { baseMs: 5_000, maxMs: 5 * 60_000 };
/** How often images due for a (re)try are looked for; a new hit also wakes the worker. */
export const EVIDENCE_POLL_MS = 2_000;
const LEASE_MS = 2 * 60_000;
const BATCH = 4;
/** A plate photo is tens of kilobytes; a full scene a few megabytes. */
const MAX_BYTES = 8 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png'];

/**
 * Fetches the images senders point to (an LPR hit's plate photo) after the alert has been
 * acknowledged, into the content-addressed media store: retried with backoff, each state and
 * its reason shown on the alert (docs/integrations.md, "LPR hits").
 */
export class AlertEvidenceWorker {
  private storePromise: Promise<MediaStore> | null = null;

  constructor(
    private readonly ctx: ServerContext,
    private readonly lookup?: HostLookup,
  ) {}

  store(): Promise<MediaStore> {
    this.storePromise ??= openMediaStore(this.ctx.config.mediaDir);
    return this.storePromise;
  }

  kick(): void {
    void this.ctx.tasks.runNow('alerts.evidence');
  }

  async runDue(): Promise<void> {
    for (;;) {
      const now = new Date(this.ctx.clock.now());
      const due = await claimDueEvidence(
        this.ctx.store,
        now,
        new Date(now.getTime() + LEASE_MS),
        BATCH,
      );
      if (due.length === 0) return;
      await Promise.all(due.map((e) => this.fetchOne(e)));
    }
  }

  private async fetchOne(e: DueEvidence): Promise<void> {
    const agency = await getAgency(this.ctx.store);
    const integration = await findIntegration(this.ctx.store, e.integrationId);
    const trustedOrigin = integration ? mediaOriginFor(agency.alerts, integration.name) : null;
    const got = await fetchVendorMedia(e.url, {
      trustedOrigin,
      taker: 'Alerts',
      maxBytes: MAX_BYTES,
      allowedTypes: IMAGE_TYPES,
      store: await this.store(),
      ...(this.lookup ? { lookup: this.lookup } : {}),
    });
    if (got.ok) {
      await this.settle(e, 'alert.evidence.store', { sha256: got.sha256, size: got.size }, (tx) =>
        evidenceStored(tx, e.alertId, e.n, { sha256: got.sha256, contentType: got.contentType }),
      );
      return;
    }
    const again = got.retryable && e.attempts < MAX_EVIDENCE_ATTEMPTS;
    const retryAt = again
      ? new Date(this.ctx.clock.now() + backoffDelay(EVIDENCE_RETRY, e.attempts))
      : null;
    const failure = again
      ? `${got.reason} Trying again (attempt ${e.attempts} of ${MAX_EVIDENCE_ATTEMPTS}).`
      : got.reason;
    await this.settle(
      e,
      again ? 'alert.evidence.retry' : 'alert.evidence.fail',
      { reason: got.reason, attempt: e.attempts },
      (tx) => evidenceFailed(tx, e.alertId, e.n, failure, retryAt),
    );
  }

  private async settle(
    e: DueEvidence,
    action: string,
    details: Record<string, unknown>,
    apply: (tx: Queryable) => Promise<void>,
  ): Promise<void> {
    await this.ctx.record({
      apply: async (c) => {
        await apply(c.tx);
        return getAlert(c.tx, e.alertId);
      },
      audit: auditBy(SYSTEM_ACTOR, {
        action,
        targetType: 'alert',
        targetId: e.alertId,
        outcome: action.endsWith('store') ? 'success' : 'failure',
        details: { n: e.n, ...details },
      }),
      event: (alert) =>
        alert
          ? { type: 'alert.updated', payload: { alert, changed: ['evidence'], escalated: false } }
          : null,
    });
  }
}

/** The evidence worker of a server context, for tests that drive it. */
export const evidenceWorkerOf = new WeakMap<ServerContext, AlertEvidenceWorker>();

export function startEvidenceWorker(ctx: ServerContext): AlertEvidenceWorker {
  const worker = new AlertEvidenceWorker(ctx);
  evidenceWorkerOf.set(ctx, worker);
  ctx.tasks.every('alerts.evidence', EVIDENCE_POLL_MS, () => worker.runDue());
  return worker;
}
