import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../shared/domain/alerts';
import type { ViewReason } from '../../../shared/domain/reasons';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { ALERT_EVIDENCE_SUBJECT, alertEvidenceUrl, openAlertEvidence, shownEvidence } =
  await import('../../../renderer/alerts/alertEvidence');
const { useReasonStore } = await import('../../../renderer/wall/reasonStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');
const { remember, EMPTY_REASON_MEMORY } = await import('../../../renderer/wall/reasonMemory');

const ALERT_ID = '3f2b6c1e-8d4a-4c1f-9e2b-0a1b2c3d4e5f';
const calls: { name: string; args: unknown }[] = [];
let answer: unknown = { ok: true, value: { alertId: ALERT_ID, expiresAt: '2026-11-29T14:00:00Z' } };
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    async call(name: string, args: unknown) {
      calls.push({ name, args });
      return answer;
    },
    subscribe: () => () => undefined,
  },
};

function hit(evidence: Alert['evidence']): Alert {
  return {
    id: ALERT_ID,
    kind: 'lpr',
    senderId: 'h1',
    source: { integrationId: 'i1', name: 'demo LPR' },
    occurredAt: '2026-11-29T19:00:00.000Z',
    receivedAt: '2026-11-29T19:00:05.000Z',
    updatedAt: '2026-11-29T19:00:05.000Z',
    position: { lat: 36.1, lon: -80.25 },
    severity: 'moderate',
    title: 'ABC-1234 on stolen-vehicle',
    outsideJurisdiction: false,
    late: false,
    urgent: false,
    evidence,
    acknowledged: null,
    incidentNumber: null,
    revision: 0,
    details: {
      plate: 'ABC-1234',
      plateState: 'NC',
      confidence: 0.9,
      readerId: 'R1',
      hotList: 'stolen-vehicle',
      hotListEntry: null,
      reason: 'Reported stolen',
    },
  } as Alert;
}

const image = (n: number, state: 'pending' | 'stored' | 'failed') => ({
  n,
  kind: 'image' as const,
  state,
  sha256: state === 'stored' ? 'a'.repeat(64) : null,
  contentType: state === 'stored' ? 'image/jpeg' : null,
  failure: null,
});

describe("an alert's evidence in the console", () => {
  beforeEach(() => {
    calls.length = 0;
    useReasonStore.getState().reset();
  });

  it('offers only the stored images, at the host route of the session', () => {
    expect(
      shownEvidence(hit([image(1, 'stored'), image(2, 'pending'), image(3, 'failed')])),
    ).toEqual([1]);
    expect(alertEvidenceUrl(ALERT_ID, 1)).toBe(`/tip-media/alert/${ALERT_ID}/1/original`);
    useSessionStore.setState({
      info: {
        ...(useSessionStore.getState().info ?? ({} as never)),
        tipMediaRoot: '/tip-media/k1/',
      },
    });
    expect(alertEvidenceUrl(ALERT_ID, 1)).toBe(`/tip-media/k1/alert/${ALERT_ID}/1/original`);
  });

  it('opens with the reason remembered for the shift, without asking again', async () => {
    const reason: ViewReason = { code: 'sensor_alert', reference: '2026-004512' };
    useReasonStore.setState({
      memory: remember(EMPTY_REASON_MEMORY, [ALERT_EVIDENCE_SUBJECT], reason),
    });
    await expect(openAlertEvidence(hit([image(1, 'stored')]))).resolves.toEqual({
      opened: true,
      error: null,
    });
    expect(useReasonStore.getState().request).toBeNull();
    expect(calls).toEqual([{ name: 'alerts.openEvidence', args: { id: ALERT_ID, reason } }]);
  });

  it('asks when no reason is remembered; a cancel opens nothing, a refusal says why', async () => {
    const opening = openAlertEvidence(hit([image(1, 'stored')]));
    expect(useReasonStore.getState().request?.purpose).toBe('alert_evidence');
    useReasonStore.getState().answer(null);
    await expect(opening).resolves.toEqual({ opened: false, error: null });
    expect(calls).toEqual([]);

    answer = { ok: false, error: { code: 'not_found', message: 'There is no such alert.' } };
    const again = openAlertEvidence(hit([image(1, 'stored')]));
    useReasonStore.getState().answer({ code: 'sensor_alert', reference: '2026-004512' });
    await expect(again).resolves.toEqual({ opened: false, error: 'There is no such alert.' });
  });
});
