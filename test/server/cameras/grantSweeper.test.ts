import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { STORE_KINDS, openTestStore, type TestStore } from '../../support/stores';
import type { ServerContext } from '../../../server/context';
import type { Principal } from '../../../server/auth/principal';
import { ManualClock } from '../../../shared/time/clock';
import { readServerConfig } from '../../../server/config';
import { AccessTokens, loadSigningKey } from '../../../server/auth/accessTokens';
import { EventHub, listEventsAfter } from '../../../server/events/eventHub';
import { recordChange } from '../../../server/events/recordChange';
import { AuditTrail } from '../../../server/audit/checkpointer';
import { createUser } from '../../../server/users/userChanges';
import { setAgency, UNCONFIGURED_AGENCY } from '../../../server/agency/agencyRepository';
import { createCamera, setCameraAlarm } from '../../../server/cameras/cameraChanges';
import { issueGrant } from '../../../server/cameras/grantService';
import { GrantSweeper, startGrantSweeper } from '../../../server/cameras/grantSweeper';
import { TaskSupervisor } from '../../../server/runtime/taskSupervisor';
import { DEFAULT_TIMING } from '../../../server/runtime/backgroundTiming';
import type { StreamGrant } from '../../../shared/api/cameras';
import { agencyCamera, integratedCamera } from './cameraFixtures';

/** Friday 6 March 2026, 21:30 in New York (EST): inside a Friday-night window 21:00-02:00. */
const FRI_21_30 = Date.parse('2026-03-07T02:30:00Z');
const SAT_01_55 = Date.parse('2026-03-07T06:55:00Z');
const SAT_02_00 = Date.parse('2026-03-07T07:00:00Z');
const REASON = { code: 'camera_pull', reference: 'CP-77' } as const;

/**
 * A server context without the app around it, so no background sweep runs: here the test is
 * the only one that calls tick().
 */
async function contextOn(store: TestStore, clock: ManualClock): Promise<ServerContext> {
  const log = pino({ level: 'silent' });
  const tasks = new TaskSupervisor(log);
  const hub = new EventHub(store.store, tasks);
  const record: ServerContext['record'] = (change) =>
    recordChange(store.store, clock, change, () => hub.wake());
  return {
    store: store.store,
    clock,
    config: readServerConfig({}),
    log,
    tokens: new AccessTokens(await loadSigningKey(store.store), clock),
    hub,
    tasks,
    timing: DEFAULT_TIMING,
    record,
    audit: new AuditTrail({ store: store.store, clock, log, record, key: null, anchorFile: null }),
  };
}

describe.each(STORE_KINDS)('GrantSweeper on %s', (kind) => {
  let store: TestStore;
  let clock: ManualClock;
  let ctx: ServerContext;
  let viewer: Principal;

  beforeEach(async () => {
    store = await openTestStore(kind);
    clock = new ManualClock(FRI_21_30);
    ctx = await contextOn(store, clock);
    await setAgency(
      store.store,
      { ...UNCONFIGURED_AGENCY, timeZone: 'America/New_York' },
      new Date(clock.now()),
    );
    const user = await createUser(ctx, {
      username: 'nightshift',
      role: 'analyst',
      password: 'a long enough password',
    });
    viewer = { userId: user.id, username: user.username, role: user.role, sessionId: 'not-used' };
  });
  afterEach(async () => {
    await store.dispose();
  });

  async function grantOn(cameraId: string): Promise<StreamGrant> {
    const outcome = await issueGrant(ctx, viewer, cameraId, {
      reason: REASON,
      access: 'live',
      variant: 'main',
    });
    if (!('granted' in outcome)) throw new Error(outcome.refused.message);
    return outcome.granted;
  }

  it('revokes a grant when its window closes, once, with the reason', async () => {
    const camera = await createCamera(
      ctx,
      integratedCamera({
        mode: 'schedule',
        windows: [{ days: ['fri'], start: '21:00', end: '02:00' }],
      }),
      { id: null, name: 'test' },
    );
    const agency = await createCamera(ctx, agencyCamera(), { id: null, name: 'test' });
    clock.set(SAT_01_55);
    const grant = await grantOn(camera.id);
    expect(grant.expiresAt).toBe(new Date(SAT_02_00).toISOString());
    const cityGrant = await grantOn(agency.id);
    const sweeper = new GrantSweeper(ctx, clock);

    clock.set(SAT_02_00 - 1);
    expect(await sweeper.tick()).toEqual([]);
    clock.set(SAT_02_00 + 3_000);
    const revoked = await sweeper.tick();
    expect(revoked).toEqual([
      {
        grantId: grant.grantId,
        cameraId: camera.id,
        userId: viewer.userId,
        reason: expect.stringMatching(
          /^Owner shares this camera Fri 21:00–02:00 \(America\/New_York\); next opens Fri/,
        ),
      },
    ]);
    const events = (await listEventsAfter(store.store, 0, 1000)).filter(
      (e) => e.type === 'grant.revoked',
    );
    expect(events.map((e) => e.payload)).toEqual(revoked);
    expect(await sweeper.tick()).toEqual([]);
    // The city's own camera needs no consent and was left alone.
    const city = await store.store.query<{ revoked_at: unknown }>(
      'select revoked_at from camera_grants where id = $1',
      [cityGrant.grantId],
    );
    expect(city.rows[0]!.revoked_at).toBeNull();
  });

  it('leaves grants that lapsed long ago alone', async () => {
    const camera = await createCamera(ctx, integratedCamera({ mode: 'alarm' }), {
      id: null,
      name: 'test',
    });
    await setCameraAlarm(ctx, camera.id, true, { id: null, name: 'owner device' });
    await grantOn(camera.id);
    // The alarm drops without the server hearing of it through the alarm route (a direct edit).
    await store.store.query('update cameras set alarm_active = false where id = $1', [camera.id]);
    clock.advance(60 * 60_000);
    expect(await new GrantSweeper(ctx, clock).tick()).toEqual([]);
    clock.set(FRI_21_30 + 60_000);
    const revoked = await new GrantSweeper(ctx, clock).tick();
    expect(revoked.map((r) => r.reason)).toEqual([
      'Owner shares this camera only while their alarm is raised.',
    ]);
  });

  it('runs on an interval and stops cleanly', async () => {
    const camera = await createCamera(
      ctx,
      integratedCamera({
        mode: 'schedule',
        windows: [{ days: ['fri'], start: '21:00', end: '02:00' }],
      }),
      { id: null, name: 'test' },
    );
    clock.set(SAT_01_55);
    const grant = await grantOn(camera.id);
    clock.set(SAT_02_00 + 1_000);
    const running = startGrantSweeper(ctx, 20);
    let revokedAt: unknown = null;
    for (let i = 0; i < 200 && revokedAt === null; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const res = await store.store.query<{ revoked_at: unknown }>(
        'select revoked_at from camera_grants where id = $1',
        [grant.grantId],
      );
      revokedAt = res.rows[0]!.revoked_at;
    }
    await running.stop();
    expect(revokedAt).not.toBeNull();
  });
});
