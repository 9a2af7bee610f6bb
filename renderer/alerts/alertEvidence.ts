import type { Alert } from '../../shared/domain/alerts';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';
import { reasonFor } from '../wall/reasonStore';
import { KIND_LABEL } from './alertTray';

/**
 * The subject under which the reason for alerts' images is remembered: once the analyst has said
 * why they open alert evidence under an assignment, the next alert's images open under it without
 * asking again this shift, and the server audits every opening with that reason.
 */
export const ALERT_EVIDENCE_SUBJECT = 'alert-evidence';

/** The evidence the console can show: the images the server has stored. */
export function shownEvidence(a: Alert): readonly number[] {
  return a.evidence.filter((e) => e.state === 'stored').map((e) => e.n);
}

/**
 * Opens an alert's images: the structured reason (remembered for the shift, else asked), then
 * the server's audited opening, which the host remembers for this session. Resolves with an
 * error sentence, or null when opened (or the analyst changed their mind: `cancelled`).
 */
export async function openAlertEvidence(
  a: Alert,
): Promise<{ readonly opened: boolean; readonly error: string | null }> {
  const reason = await reasonFor({
    cameraIds: [ALERT_EVIDENCE_SUBJECT],
    cameraNames: [`${KIND_LABEL[a.kind]}: ${a.title}`],
    purpose: 'alert_evidence',
  });
  if (!reason) return { opened: false, error: null };
  const r = await call('alerts.openEvidence', { id: a.id, reason });
  return r.ok ? { opened: true, error: null } : { opened: false, error: r.error.message };
}

/** The host's URL of one of an alert's images (the host streams it from the server). */
export function alertEvidenceUrl(alertId: string, n: number): string {
  const root = useSessionStore.getState().info?.tipMediaRoot ?? '/tip-media/';
  return `${root}alert/${encodeURIComponent(alertId)}/${n}/original`;
}
