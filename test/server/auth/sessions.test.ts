import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import {
  findSession,
  listSignedIn,
  listSignedInBetween,
  revokeSession,
  revokeUserSessions,
  startSession,
} from '../../../server/auth/sessions';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(STORE_KINDS)('sessions on %s', (kind) => {
  let t: TestApp;
  let now: Date;

  beforeEach(async () => {
    t = await startTestApp(kind);
    now = new Date(t.clock.now());
  });
  afterEach(async () => {
    await t.close();
  });

  /** Sets when a session was opened and last seen, relative to `now`. */
  async function place(sessionId: string, openedAgo: number, seenAgo: number): Promise<void> {
    await t.store.store.query(
      'update sessions set created_at = $2, last_seen_at = $3 where id = $1',
      [
        sessionId,
        new Date(now.getTime() - openedAgo).toISOString(),
        new Date(now.getTime() - seenAgo).toISOString(),
      ],
    );
  }

  const names = (rows: readonly { display_name: string }[]) => rows.map((r) => r.display_name);

  it('ends a session once: ending it again answers false and keeps the first reason', async () => {
    const db = t.store.store;
    const user = await t.user('analyst');
    expect(await revokeSession(db, user.sessionId, now, 'logout')).toBe(true);
    expect(await revokeSession(db, user.sessionId, now, 'idle')).toBe(false);
    expect(await findSession(db, user.sessionId)).toMatchObject({ revoke_reason: 'logout' });
  });

  it('ends every live session of a user but the one it keeps, and no one else’s', async () => {
    const db = t.store.store;
    const user = await t.user('analyst');
    const other = await t.user('analyst');
    const second = await startSession(db, t.app.ctx.tokens, user, now, 'full');
    const third = await startSession(db, t.app.ctx.tokens, user, now, 'full');
    expect(await revokeUserSessions(db, user.id, now, 'password_changed', second.sessionId)).toBe(
      2,
    );
    const reasonOf = async (id: string) => (await findSession(db, id))!.revoke_reason;
    expect(await reasonOf(user.sessionId)).toBe('password_changed');
    expect(await reasonOf(third.sessionId)).toBe('password_changed');
    expect(await reasonOf(second.sessionId)).toBeNull();
    expect(await reasonOf(other.sessionId)).toBeNull();
    // Those already ended are not counted again; without a session to keep, it goes too.
    expect(await revokeUserSessions(db, user.id, now, 'disabled')).toBe(1);
    expect(await reasonOf(second.sessionId)).toBe('disabled');
    expect(await reasonOf(user.sessionId)).toBe('password_changed');
  });

  it('lists who is signed in now: live, within the shift and the idle limit, longest first', async () => {
    const db = t.store.store;
    const users: Record<string, TestUser> = {};
    for (const name of ['long', 'twice', 'expired', 'idle', 'ended', 'disabled']) {
      users[name] = await t.user('analyst', name);
    }
    await place(users.long!.sessionId, 11 * HOUR, MIN);
    await place(users.twice!.sessionId, 2 * HOUR, 5 * MIN);
    const again = await startSession(db, t.app.ctx.tokens, users.twice!, now, 'full');
    await place(again.sessionId, HOUR, 2 * MIN);
    await place(users.expired!.sessionId, 13 * HOUR, MIN);
    await place(users.idle!.sessionId, HOUR, 20 * MIN);
    await revokeSession(db, users.ended!.sessionId, now, 'logout');
    await db.query('update users set disabled = true where id = $1', [users.disabled!.id]);

    const rows = await listSignedIn(db, now, 15 * MIN);
    expect(names(rows)).toEqual([users.long!.displayName, users.twice!.displayName]);
    // One row a user: signed in since the first session, seen at the latest.
    expect(new Date(rows[1]!.since).getTime()).toBe(now.getTime() - 2 * HOUR);
    expect(new Date(rows[1]!.last_seen_at).getTime()).toBe(now.getTime() - 2 * MIN);
  });

  it('lists who was signed in during a period, ended sessions included, by name', async () => {
    const db = t.store.store;
    const from = new Date(now.getTime() - 3 * HOUR);
    const to = new Date(now.getTime() - HOUR);
    const users: Record<string, TestUser> = {};
    for (const name of ['zed', 'amy', 'later', 'before', 'ancient']) {
      users[name] = await t.user('analyst', name);
    }
    // Seen inside the period (one of them has signed out since).
    await place(users.zed!.sessionId, 4 * HOUR, 2 * HOUR);
    await place(users.amy!.sessionId, 2 * HOUR, 10 * MIN);
    await revokeSession(db, users.amy!.sessionId, now, 'logout');
    // Opened after it, last seen before it, opened more than a shift before it.
    await place(users.later!.sessionId, 30 * MIN, 5 * MIN);
    await place(users.before!.sessionId, 5 * HOUR, 4 * HOUR);
    await place(users.ancient!.sessionId, 16 * HOUR, 2 * HOUR);

    const rows = await listSignedInBetween(db, from, to);
    expect(names(rows)).toEqual([users.amy!.displayName, users.zed!.displayName]);
  });
});
