import type { CaseDetail } from '../../../shared/api/cases';
import type { Case } from '../../../shared/domain/cases';
import { ROLE_PERMISSIONS, type Role } from '../../../shared/domain/roles';
import type { SessionState } from '../../../shared/api/session';

export const ME = '00000000-0000-4000-8000-0000000000a1';
export const OTHER = '00000000-0000-4000-8000-0000000000a2';

export function testCase(n: number, over: Partial<Case> = {}): Case {
  return {
    id: `00000000-0000-4000-8000-00000000010${n}`,
    number: `2026-00000${n}`,
    title: `Case ${n}`,
    type: 'burglary',
    status: 'open',
    priority: 'normal',
    leadInvestigator: null,
    analysts: [],
    dueDate: null,
    openedAt: `2026-11-2${n}T12:00:00.000Z`,
    openedBy: 'lieutenant',
    updatedAt: `2026-11-2${n}T12:00:00.000Z`,
    closedAt: null,
    ...over,
  };
}

export function testCaseDetail(c: Case, over: Partial<CaseDetail> = {}): CaseDetail {
  return { ...c, notes: [], links: [], cameraViews: [], pulls: [], products: [], ...over };
}

/** A signed-in session of the role, as the host pushes it. */
export function sessionAs(role: Role, id = ME): SessionState {
  return {
    status: 'active',
    user: { id, username: role, displayName: role, role, permissions: [...ROLE_PERMISSIONS[role]] },
    shiftEndsAt: '2026-11-30T06:00:00.000Z',
    idleLockMinutes: 30,
    wallPlaysWhenLocked: false,
  } as SessionState;
}
