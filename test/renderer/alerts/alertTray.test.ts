import { describe, expect, it } from 'vitest';
import {
  extendTrack,
  newer,
  trayAlerts,
  unacknowledgedCount,
} from '../../../renderer/alerts/alertTray';
import type { Alert } from '../../../shared/domain/alerts';

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'gunshot',
    senderId: id,
    source: { integrationId: 'i1', name: 'gunshot-feed' },
    occurredAt: '2026-11-29T19:00:00.000Z',
    receivedAt: '2026-11-29T19:00:05.000Z',
    updatedAt: '2026-11-29T19:00:05.000Z',
    position: { lat: 36.1, lon: -80.25 },
    severity: 'severe',
    title: 'Single gunshot',
    outsideJurisdiction: false,
    late: false,
    urgent: false,
    evidence: [],
    acknowledged: null,
    incidentNumber: null,
    revision: 0,
    details: { type: 'single', rounds: null },
    ...over,
  } as Alert;
}

describe('the alert tray', () => {
  it('lists newest first, by kind and at or above a severity', () => {
    const all = [
      alert('a', { occurredAt: '2026-11-29T18:00:00.000Z' }),
      alert('b', { occurredAt: '2026-11-29T19:30:00.000Z', severity: 'minor' }),
      alert('c', {
        kind: 'lpr',
        occurredAt: '2026-11-29T19:10:00.000Z',
        severity: 'moderate',
        details: {
          plate: 'ABC1234',
          plateState: null,
          confidence: null,
          readerId: 'r',
          hotList: 'stolen',
          hotListEntry: null,
          reason: 'Stolen',
        },
      }),
    ];
    expect(trayAlerts(all, { kind: 'all', minSeverity: 'unknown' }).map((a) => a.id)).toEqual([
      'b',
      'c',
      'a',
    ]);
    expect(trayAlerts(all, { kind: 'all', minSeverity: 'moderate' }).map((a) => a.id)).toEqual([
      'c',
      'a',
    ]);
    expect(trayAlerts(all, { kind: 'lpr', minSeverity: 'unknown' }).map((a) => a.id)).toEqual([
      'c',
    ]);
  });

  it('counts what waits for an acknowledgement, never what is outside or late', () => {
    const ack = { at: '2026-11-29T19:01:00.000Z', by: 'ana', byId: 'u1', note: '' };
    expect(
      unacknowledgedCount([
        alert('a'),
        alert('b', { acknowledged: ack }),
        alert('c', { outsideJurisdiction: true }),
        alert('d', { late: true }),
      ]),
    ).toBe(1);
  });

  it('keeps the newer state of an alert', () => {
    const held = alert('a', { updatedAt: '2026-11-29T19:05:00.000Z' });
    expect(newer(held, alert('a', { updatedAt: '2026-11-29T19:01:00.000Z' }))).toBe(false);
    expect(newer(held, alert('a', { updatedAt: '2026-11-29T19:06:00.000Z' }))).toBe(true);
    expect(newer(undefined, held)).toBe(true);
  });

  it('extends a track in time order, each time once, the last points kept', () => {
    const base = { subject: 'EM-1', cameraId: null, source: { integrationId: 'i', name: 'em' } };
    const p = (at: string, lat: number) => ({ at, lat, lon: -80.2, heading: null });
    let track = extendTrack(undefined, { ...base, points: [p('T02', 1), p('T01', 0)] });
    track = extendTrack(track, { ...base, points: [p('T02', 1), p('T03', 2)] }, 2);
    expect(track.points.map((x) => x.at)).toEqual(['T02', 'T03']);
  });
});
