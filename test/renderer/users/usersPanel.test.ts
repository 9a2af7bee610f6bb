import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Zustand from 'zustand';
import type { AdminUser } from '../../../shared/api/users';
import { ROLE_PERMISSIONS } from '../../../shared/domain/roles';
import { testUser } from './userFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
// Rendering to a string reads each store's initial state (React's server snapshot): the stores'
// hooks read the state the test set instead.
vi.mock('zustand', async (importOriginal) => {
  const zustand = await importOriginal<typeof Zustand>();
  const readNow = (api: { getState(): unknown }) =>
    Object.assign((select = (s: unknown) => s) => select(api.getState()), api);
  const make = (init: Zustand.StateCreator<unknown>) => readNow(zustand.create(init));
  const create = (init?: Zustand.StateCreator<unknown>) => (init ? make(init) : make);
  return { ...zustand, create };
});

/** A fake `window.watchfloor` standing for the server's user endpoints. */
const server = { users: [] as AdminUser[], calls: [] as string[] };
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push(`${name} ${JSON.stringify(args)}`);
    const found = () => server.users.find((u) => u.id === args.id)!;
    switch (name) {
      case 'users.list':
        return { ok: true, value: { users: server.users.map((u) => ({ ...u })) } };
      case 'users.create': {
        if (args.username === 'taken') {
          return {
            ok: false,
            error: {
              code: 'failed',
              message: 'password: That password is on a list of common and breached passwords',
              issues: [
                {
                  path: 'body.password',
                  message: 'That password is on a list of common passwords',
                },
              ],
            },
          };
        }
        const u = user(server.users.length + 1, { username: args.username as string });
        server.users.push(u);
        return {
          ok: true,
          value: {
            ...u,
            enrolmentCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
            enrolmentCodeExpiresAt: '2026-12-02T15:00:00.000Z',
            ...(args.password ? {} : { temporaryPassword: 'k7m2q-abcde-fghjk-mnpqr' }),
          },
        };
      }
      case 'users.update':
        if (args.id === 'u1' && args.role) {
          return {
            ok: false,
            error: { code: 'conflict', message: 'You cannot change your own role.' },
          };
        }
        Object.assign(found(), { ...args, id: found().id });
        return { ok: true, value: found() };
      case 'users.unlock':
        Object.assign(found(), { lockedUntil: null });
        return { ok: true, value: found() };
      case 'users.resetTotp':
        Object.assign(found(), { totpEnrolled: false });
        return {
          ok: true,
          value: {
            ...found(),
            enrolmentCode: 'ZZZZ-YYYY-XXXX-WWWW-VVVV',
            enrolmentCodeExpiresAt: '2026-12-02T15:00:00.000Z',
          },
        };
      case 'users.endSessions':
        return { ok: true, value: { userId: args.id, sessionsEnded: 2 } };
      default:
        return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
    }
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const user = testUser;

const { useUserAdminStore } = await import('../../../renderer/users/userAdminStore');
const { UsersPanel } = await import('../../../renderer/users/UsersPanel');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');
const { usersModule } = await import('../../../renderer/users/usersModule');

const INITIAL = useUserAdminStore.getState();

describe('the Users store', () => {
  beforeEach(() => {
    server.users = [user(1, { role: 'admin' })];
    server.calls.length = 0;
    useUserAdminStore.setState({ ...INITIAL, users: [], loaded: false, shownOnce: null });
  });

  it('shows a new account’s temporary password and enrolment code once, then forgets them', async () => {
    expect(
      await useUserAdminStore.getState().create({ username: 'ofc.new', role: 'officer' }),
    ).toBe(true);
    const s = useUserAdminStore.getState();
    expect(s.shownOnce).toMatchObject({
      username: 'ofc.new',
      why: 'created',
      temporaryPassword: 'k7m2q-abcde-fghjk-mnpqr',
      enrolmentCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
    });
    expect(s.users.map((u) => u.username)).toEqual(['user.1', 'ofc.new']);
    // The list never carries either secret.
    expect(JSON.stringify(s.users)).not.toMatch(/k7m2q|ABCD-EFGH/);
    s.dismissShownOnce();
    expect(useUserAdminStore.getState().shownOnce).toBeNull();
  });

  it("puts the server's refusal beside the field and keeps nothing shown", async () => {
    expect(
      await useUserAdminStore
        .getState()
        .create({ username: 'taken', role: 'analyst', password: 'password1234' }),
    ).toBe(false);
    expect(useUserAdminStore.getState()).toMatchObject({
      fieldErrors: { password: 'That password is on a list of common passwords' },
      shownOnce: null,
    });
  });

  it('runs each action, says how it went, and reads the list again', async () => {
    server.users.push(user(2, { lockedUntil: '2099-01-01T00:00:00.000Z' }));
    await useUserAdminStore.getState().load();
    const target = useUserAdminStore.getState().users[1]!;
    const s = useUserAdminStore.getState();
    await s.unlock(target);
    expect(useUserAdminStore.getState().users[1]!.lockedUntil).toBeNull();
    expect(useUserAdminStore.getState().notice).toBe('user.2 is unlocked.');
    await s.setRole(target, 'lieutenant');
    expect(useUserAdminStore.getState().users[1]!.role).toBe('lieutenant');
    await s.setDisabled(target, true);
    expect(useUserAdminStore.getState().users[1]!.disabled).toBe(true);
    await s.endSessions(target);
    expect(useUserAdminStore.getState().notice).toBe('2 sessions of user.2 ended.');
    await s.resetTotp(target);
    expect(useUserAdminStore.getState().shownOnce).toMatchObject({
      username: 'user.2',
      why: 'reset',
      enrolmentCode: 'ZZZZ-YYYY-XXXX-WWWW-VVVV',
    });
    expect(useUserAdminStore.getState().shownOnce?.temporaryPassword).toBeUndefined();
    expect(server.calls.map((c) => c.split(' ')[0])).toEqual([
      'users.list',
      'users.unlock',
      'users.list',
      'users.update',
      'users.list',
      'users.update',
      'users.list',
      'users.endSessions',
      'users.list',
      'users.resetTotp',
      'users.list',
    ]);
  });

  it('says why the server refused an action', async () => {
    await useUserAdminStore.getState().load();
    await useUserAdminStore.getState().setRole(server.users[0]!, 'analyst');
    expect(useUserAdminStore.getState()).toMatchObject({
      error: 'You cannot change your own role.',
      notice: null,
    });
  });

  it("reloads on another administrator's change only once the panel has read the list", async () => {
    usersModule.reducers!['user.created']!({ userId: 'u9', username: 'x', role: 'analyst' });
    await Promise.resolve();
    expect(server.calls).toEqual([]);
    await useUserAdminStore.getState().load();
    usersModule.reducers!['user.locked']!({
      userId: 'u1',
      username: 'user.1',
      lockedUntil: '2099-01-01T00:00:00.000Z',
    });
    await vi.waitFor(() => expect(server.calls).toHaveLength(2));
  });
});

describe('the Users panel', () => {
  beforeEach(() => {
    useSessionStore.setState({
      session: {
        status: 'active',
        user: {
          id: 'u1',
          username: 'admin',
          displayName: 'Admin',
          role: 'admin',
          totpEnrolled: true,
          permissions: [...ROLE_PERMISSIONS.admin],
        },
      } as never,
      agency: null,
    });
  });

  it('lists each account with its role, state and last sign-in, and its actions', () => {
    useUserAdminStore.setState({
      ...INITIAL,
      users: [
        user(1, { role: 'admin', username: 'admin', lastSignInAt: '2026-11-29T14:00:00.000Z' }),
        user(2, { role: 'officer', lockedUntil: '2099-01-01T00:10:00.000Z' }),
        user(3, { totpEnrolled: false }),
      ],
    });
    const html = renderToStaticMarkup(createElement(UsersPanel));
    expect(html).toContain('3 of 3 accounts');
    expect(html).toMatch(/data-username="user\.2" data-state="locked"/);
    expect(html).toMatch(/data-username="user\.3" data-state="not_enrolled"/);
    expect(html).toContain('last sign-in never');
    // The signed-in administrator is the last active one: neither role nor disabling is offered.
    const own = html.slice(
      html.indexOf('data-username="admin"'),
      html.indexOf('data-username="user.2"'),
    );
    expect(own).toContain('(you)');
    expect(own).toMatch(/data-testid="user-action-role" disabled=""/);
    expect(own).toMatch(/data-testid="user-action-disable" disabled=""/);
    const locked = html.slice(html.indexOf('data-username="user.2"'));
    expect(locked).toContain('data-testid="user-action-unlock"');
  });

  it('shows the secrets of a new account once, says so, and offers to copy them', () => {
    useUserAdminStore.setState({
      ...INITIAL,
      shownOnce: {
        userId: 'u4',
        username: 'ofc.new',
        why: 'created',
        enrolmentCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
        enrolmentCodeExpiresAt: '2026-12-02T15:00:00.000Z',
        temporaryPassword: 'k7m2q-abcde-fghjk-mnpqr',
      },
    });
    const html = renderToStaticMarkup(createElement(UsersPanel));
    expect(html).toContain('Shown only now.');
    expect(html).toContain('k7m2q-abcde-fghjk-mnpqr');
    expect(html).toContain('ABCD-EFGH-JKMN-PQRS-TVWX');
    expect(html).toContain('data-testid="user-copy"');
    expect(html).toContain('It must be changed at first sign-in');
  });

  it('says nothing of a change when the administrator set the password', () => {
    useUserAdminStore.setState({
      ...INITIAL,
      shownOnce: {
        userId: 'u5',
        username: 'ofc.set',
        why: 'created',
        enrolmentCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
        enrolmentCodeExpiresAt: '2026-12-02T15:00:00.000Z',
      },
    });
    const html = renderToStaticMarkup(createElement(UsersPanel));
    expect(html).not.toContain('must be changed at first sign-in');
  });
});
