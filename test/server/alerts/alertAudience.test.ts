import { describe, expect, it } from 'vitest';
import { eventAdmits } from '../../../shared/api/eventCatalog';
import { ROLE_PERMISSIONS, ROLES } from '../../../shared/domain/roles';

const alert = {
  id: 'a1',
  kind: 'gunshot',
  senderId: 'SS-1',
  source: { integrationId: 'i1', name: 'gunshot-feed' },
  occurredAt: '2026-11-29T19:00:00.000Z',
  receivedAt: '2026-11-29T19:00:01.000Z',
  updatedAt: '2026-11-29T19:00:01.000Z',
  position: { lat: 36.1, lon: -80.25 },
  severity: 'extreme',
  title: 'Multiple gunshots',
  outsideJurisdiction: false,
  late: false,
  urgent: true,
  evidence: [],
  acknowledged: null,
  incidentNumber: null,
  revision: 0,
  details: { type: 'multiple', rounds: 5 },
};

const event = (type: string, payload: unknown) => ({ id: 1, at: '', type, payload });

describe('who receives alert and track events', () => {
  it('reaches the roles that read alerts, and drones reach whoever reads cameras', () => {
    const admitted = (type: string, payload: unknown) =>
      ROLES.filter((role) =>
        eventAdmits(event(type, payload) as never, {
          userId: 'u',
          permissions: ROLE_PERMISSIONS[role],
        }),
      );
    expect(admitted('alert.raised', { alert })).toEqual(['analyst', 'lieutenant', 'supervisor']);
    expect(
      admitted('track.extended', {
        subject: 'EM-1',
        cameraId: null,
        source: { integrationId: 'i', name: 'em' },
        points: [],
      }),
    ).toEqual(['analyst', 'lieutenant', 'supervisor']);
    expect(
      admitted('camera.moved', { cameraId: 'c', lat: 36.1, lon: -80.2, heading: 90, at: 'x' }),
    ).toEqual([...ROLES]);
  });
});
