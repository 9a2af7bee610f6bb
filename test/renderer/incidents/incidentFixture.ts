import type { Incident, IncidentDetail } from '../../../shared/domain/incidents';

export function testIncident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    number: `26-00${n}`,
    callType: { code: 'ROBBERY', text: 'Robbery' },
    priority: 2,
    status: 'dispatched',
    address: `${n}00 N Main St`,
    position: { lat: 36.1, lon: -80.25 },
    radiusM: null,
    needsPlacement: false,
    outsideJurisdiction: false,
    worked: true,
    units: [{ id: '2A12', status: 'en route' }],
    receivedAt: '2026-11-29T19:00:00.000Z',
    updatedAt: '2026-11-29T19:00:00.000Z',
    closedAt: null,
    ...over,
  };
}

export function testDetail(incident: Incident, over: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    ...incident,
    statusChanges: [
      { at: incident.receivedAt, status: 'pending' },
      { at: incident.updatedAt, status: incident.status },
    ],
    narrative: [{ at: incident.receivedAt, author: 'calltaker 12', text: 'RP reports a robbery' }],
    notes: [],
    links: [],
    ...over,
  };
}
