import type { Pull, PullCandidate, PullDetail } from '../../../shared/domain/pulls';

export function testPull(n: number, over: Partial<Pull> = {}): Pull {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    number: `PULL-${String(n).padStart(6, '0')}`,
    requester: {
      name: 'Ofc. Dana Reyes',
      badge: '4471',
      unit: '2B12',
      userId: null,
      userName: null,
    },
    caseNumber: '2026-004512',
    incidentId: null,
    incidentNumber: null,
    position: { lat: 36.0999, lon: -80.2442 },
    address: '100 N Main St',
    radiusM: 300,
    windowStart: '2026-11-29T13:30:00.000Z',
    windowEnd: '2026-11-29T14:00:00.000Z',
    lookFor: 'Grey sedan',
    urgency: 'routine',
    status: 'open',
    assignedTo: { id: 'analyst-1', name: 'Analyst One' },
    loggedBy: { id: 'analyst-1', name: 'Analyst One' },
    requestedAt: `2026-11-29T14:${String(n).padStart(2, '0')}:00.000Z`,
    loggedAt: '2026-11-29T14:05:00.000Z',
    updatedAt: '2026-11-29T14:05:00.000Z',
    closedAt: null,
    closingNote: null,
    counts: { total: 2, fetchNow: 1, agency: 0, contactOwner: 1, untouched: 2, footageObtained: 0 },
    ...over,
  };
}

export function testCandidate(n: number, over: Partial<PullCandidate> = {}): PullCandidate {
  return {
    cameraId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name: `Camera ${n}`,
    kind: 'registered',
    lat: 36.1,
    lng: -80.2442,
    address: null,
    distanceM: 100 * n,
    action: 'contact_owner',
    actionNote: null,
    hasOwnerContact: true,
    rank: n,
    inRadius: true,
    outcome: 'not_contacted',
    outcomeAt: null,
    outcomeBy: null,
    history: [],
    ...over,
  };
}

export const testDetail = (pull: Pull, candidates: PullCandidate[]): PullDetail => ({
  pull,
  candidates,
});
