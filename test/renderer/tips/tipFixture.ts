import type { Tip } from '../../../shared/domain/tips';

let seq = 0;

/** A tip as the server sends it; ids are made up per call unless given. */
export function testTip(over: Partial<Tip> = {}): Tip {
  seq += 1;
  const hex = seq.toString(16).padStart(12, '0');
  return {
    id: `7c0e2f9a-1b2c-4d3e-8f40-${hex}`,
    threadId: '3f1d6a2b-5c4e-4f70-9a81-000000000001',
    alias: 'K7Q2',
    receivedAt: '2026-11-29T12:00:00.000Z',
    body: 'Silver sedan parked behind the pharmacy on Liberty St',
    state: 'new',
    stateChangedBy: null,
    stateChangedAt: null,
    duplicateOf: null,
    assignedTo: null,
    incidentNumber: null,
    caseNumber: null,
    sharedLocation: null,
    outsideHours: false,
    attachments: [],
    ...over,
  };
}
