import { describe, expect, it, vi } from 'vitest';
import { ROLE_PERMISSIONS, ROLES } from '../../../shared/domain/roles';
import {
  accountState,
  actionsFor,
  EMPTY_DRAFT,
  errorsFromIssues,
  filterUsers,
  handOverText,
  NO_FILTER,
  otherRoles,
  requestFromDraft,
} from '../../../renderer/users/userAccounts';
import { testUser } from './userFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
const { panelsFor } = await import('../../../renderer/app/modules');

const NOW = Date.parse('2026-11-29T15:00:00.000Z');

const user = testUser;

describe("an account's state in the Users panel", () => {
  it('says disabled first, then a running lock with its end, then not enrolled, else active', () => {
    const locked = { lockedUntil: '2026-11-29T15:08:00.000Z' };
    expect(accountState(user(1, { disabled: true, ...locked }), NOW).kind).toBe('disabled');
    expect(accountState(user(1, { ...locked, totpEnrolled: false }), NOW, 'UTC')).toEqual({
      kind: 'locked',
      label: 'locked until 15:08',
    });
    // A lock that has run out is no lock.
    const over = { lockedUntil: '2026-11-29T14:58:00.000Z' };
    expect(accountState(user(1, { ...over, totpEnrolled: false }), NOW).kind).toBe('not_enrolled');
    expect(accountState(user(1, over), NOW)).toEqual({ kind: 'active', label: 'active' });
  });

  it('shows a lock that ends on another day with its date, in the agency zone', () => {
    // 04:30 UTC on the 30th is still the evening of the 29th in Winston-Salem.
    const u = user(1, { lockedUntil: '2026-11-30T04:30:00.000Z' });
    expect(accountState(u, NOW, 'America/New_York').label).toBe('locked until 23:30');
    expect(accountState(u, NOW, 'UTC').label).toBe('locked until Nov 30, 04:30');
  });
});

describe('the Users filter', () => {
  const users = [
    user(1, { displayName: 'Dana Reyes', role: 'officer' }),
    user(2, { username: 'sup.night', role: 'supervisor', disabled: true }),
    user(3, { totpEnrolled: false }),
    user(4, { lockedUntil: '2026-11-29T15:05:00.000Z', role: 'officer' }),
  ];
  const ids = (f: Partial<typeof NO_FILTER>) =>
    filterUsers(users, { ...NO_FILTER, ...f }, NOW).map((u) => u.id);

  it('matches part of the username or display name in any case, a role, a state', () => {
    expect(ids({})).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(ids({ text: 'REYES' })).toEqual(['u1']);
    expect(ids({ text: ' night ' })).toEqual(['u2']);
    expect(ids({ role: 'officer' })).toEqual(['u1', 'u4']);
    expect(ids({ state: 'locked' })).toEqual(['u4']);
    expect(ids({ state: 'not_enrolled' })).toEqual(['u3']);
    expect(ids({ state: 'disabled', role: 'officer' })).toEqual([]);
  });
});

describe('the new-user form', () => {
  it('asks for a temporary password by leaving the password out', () => {
    expect(requestFromDraft({ ...EMPTY_DRAFT, username: 'ofc.new', role: 'officer' })).toEqual({
      ok: true,
      request: { username: 'ofc.new', role: 'officer' },
    });
  });

  it("sends the administrator's password when they type one, twice the same", () => {
    const draft = {
      ...EMPTY_DRAFT,
      username: 'ana.new',
      displayName: ' Ana New ',
      passwordChoice: 'set' as const,
      password: 'amber kite over the quiet harbour',
      repeat: 'amber kite over the quiet harbour',
    };
    expect(requestFromDraft(draft)).toEqual({
      ok: true,
      request: {
        username: 'ana.new',
        displayName: 'Ana New',
        role: 'analyst',
        password: 'amber kite over the quiet harbour',
      },
    });
    expect(requestFromDraft({ ...draft, repeat: 'something else entirely' })).toEqual({
      ok: false,
      errors: { repeat: 'the two passwords differ' },
    });
  });

  it("puts the contract's message beside each field", () => {
    const checked = requestFromDraft({
      ...EMPTY_DRAFT,
      username: 'Dana Reyes',
      displayName: 'd'.repeat(121),
      passwordChoice: 'set',
      password: 'short',
      repeat: 'short',
    });
    expect(checked).toEqual({
      ok: false,
      errors: {
        username: 'a username is lower-case letters, digits, dot, dash, underscore',
        displayName: 'a display name has at most 120 characters',
        password: 'a password has at least 12 characters',
      },
    });
    const empty = requestFromDraft({ ...EMPTY_DRAFT, passwordChoice: 'set' });
    expect(empty.ok || empty.errors).toMatchObject({
      username: 'a username has at least 2 characters',
      password: 'type the first password, or let the server make a temporary one',
    });
  });

  it("maps the server's issues (its password policy) onto the fields", () => {
    expect(
      errorsFromIssues([
        { path: 'body.password', message: 'That password is on a list of common passwords' },
        { path: 'body.username', message: 'taken' },
        { path: 'body.username', message: 'second' },
      ]),
    ).toEqual({ password: 'That password is on a list of common passwords', username: 'taken' });
    expect(errorsFromIssues(undefined)).toEqual({});
  });

  it('copies the secrets shown once with their names, the password only when there is one', () => {
    const shown = {
      userId: 'u1',
      username: 'ofc.new',
      why: 'created' as const,
      enrolmentCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
      enrolmentCodeExpiresAt: '2026-12-02T15:00:00.000Z',
    };
    expect(handOverText(shown)).toBe(
      'Username: ofc.new\nEnrolment code: ABCD-EFGH-JKMN-PQRS-TVWX (valid until 2026-12-02T15:00:00.000Z)',
    );
    expect(handOverText({ ...shown, temporaryPassword: 'k7m2q-abcde-fghjk-mnpqr' })).toContain(
      '\nTemporary password: k7m2q-abcde-fghjk-mnpqr\n',
    );
  });
});

describe('the actions on an account', () => {
  const kinds = (a: ReturnType<typeof actionsFor>) =>
    a.map((x) => `${x.kind}${x.unavailable ? '(no)' : ''}${x.confirm ? '?' : ''}`);

  it('asks before every destructive action, and offers unlock only while a lock runs', () => {
    const me = user(1, { role: 'admin' });
    const other = user(2, { role: 'admin' });
    const locked = user(3, { lockedUntil: '2026-11-29T15:05:00.000Z' });
    const users = [me, other, locked];
    expect(kinds(actionsFor(locked, me.id, users, NOW))).toEqual([
      'role?',
      'disable?',
      'unlock',
      'reset_totp?',
      'end_sessions?',
    ]);
    expect(kinds(actionsFor(user(4, { disabled: true }), me.id, users, NOW))).toEqual([
      'role?',
      'enable',
      'reset_totp?',
      'end_sessions?',
    ]);
  });

  it('does not offer an administrator their own role or their own disabling', () => {
    const me = user(1, { role: 'admin' });
    const users = [me, user(2, { role: 'admin' })];
    const mine = actionsFor(me, me.id, users, NOW);
    expect(kinds(mine)).toEqual(['role(no)?', 'disable(no)?', 'reset_totp?', 'end_sessions?']);
    expect(mine[0]!.unavailable).toMatch(/another administrator/);
    expect(mine.at(-1)!.confirm).toMatch(/your own sessions/);
  });

  it('does not offer to demote or disable the last active administrator', () => {
    const last = user(1, { role: 'admin' });
    const users = [last, user(2, { role: 'admin', disabled: true })];
    const actions = actionsFor(last, 'someone-else', users, NOW);
    expect(kinds(actions)).toEqual(['role(no)?', 'disable(no)?', 'reset_totp?', 'end_sessions?']);
    expect(actions[1]!.unavailable).toMatch(/last active administrator/);
    // With a second active administrator both are offered again.
    const two = [last, user(2, { role: 'admin' })];
    expect(kinds(actionsFor(last, 'someone-else', two, NOW))).toEqual([
      'role?',
      'disable?',
      'reset_totp?',
      'end_sessions?',
    ]);
  });

  it('offers every role but the current one', () => {
    expect(otherRoles('officer')).toEqual(ROLES.filter((r) => r !== 'officer'));
  });
});

describe('the Users panel in the console', () => {
  it('is for administrators only, on key J', () => {
    for (const role of ROLES) {
      const panel = panelsFor(ROLE_PERMISSIONS[role]).find((p) => p.id === 'users');
      expect(panel?.key ?? null, role).toBe(role === 'admin' ? 'J' : null);
    }
  });
});
