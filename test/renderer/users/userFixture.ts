import type { AdminUser } from '../../../shared/api/users';

/** An account as the administrators' list gives it: an enrolled, active analyst unless told. */
export function testUser(n: number, over: Partial<AdminUser> = {}): AdminUser {
  return {
    id: `u${n}`,
    username: `user.${n}`,
    displayName: `User ${n}`,
    role: 'analyst',
    totpEnrolled: true,
    disabled: false,
    lockedUntil: null,
    createdAt: '2026-11-01T12:00:00.000Z',
    lastSignInAt: null,
    ...over,
  };
}
