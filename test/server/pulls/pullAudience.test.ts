import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../../shared/api/events';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { useNewYorkTime } from '../cameras/cameraFixtures';
import { logPull, radioPull, sceneCameras, WEDNESDAY_10AM } from './pullFixtures';

/** Everything a user may page through, all pages. */
async function eventsFor(t: TestApp, u: TestUser): Promise<ServerEvent[]> {
  const out: ServerEvent[] = [];
  let cursor = 0;
  for (let i = 0; i < 100; i += 1) {
    const res = await t.as(u, 'GET', `/v1/events?after=${cursor}&limit=50`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { events: ServerEvent[]; lastId: number };
    out.push(...page.events);
    if (page.lastId === cursor) return out;
    cursor = page.lastId;
  }
  throw new Error('paging did not end');
}

const pullTypes = (events: readonly ServerEvent[]) =>
  events.filter((e) => e.type.startsWith('pull.')).map((e) => e.type);

describe.each(STORE_KINDS)('who hears of a camera pull on %s', (kind) => {
  let t: TestApp;
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    t = await startTestApp(kind);
    t.clock.set(WEDNESDAY_10AM);
    await useNewYorkTime(t);
    for (const role of ['admin', 'analyst', 'supervisor', 'officer'] as const) {
      users[role] = await t.user(role);
    }
    users.otherOfficer = await t.user('officer');
    await sceneCameras(t, users.admin!);
  }, 120_000);
  afterAll(() => t.close());

  it('the floor and the officer who asked hear of it; another officer and the admin do not', async () => {
    const { pull, candidates } = await logPull(
      t,
      users.analyst!,
      radioPull({ requester: { userId: users.officer!.id } }),
    );
    await t.as(
      users.analyst!,
      'POST',
      `/v1/pulls/${pull.id}/candidates/${candidates[0]!.cameraId}/outcome`,
      {
        outcome: 'footage_obtained',
      },
    );
    await t.as(users.analyst!, 'POST', `/v1/pulls/${pull.id}/fulfil`, {});
    // A pull another officer did not ask for.
    await logPull(t, users.analyst!, radioPull());

    const all = ['pull.logged', 'pull.candidateChanged', 'pull.updated', 'pull.logged'];
    expect(pullTypes(await eventsFor(t, users.analyst!))).toEqual(all);
    expect(pullTypes(await eventsFor(t, users.supervisor!))).toEqual(all);
    expect(pullTypes(await eventsFor(t, users.officer!))).toEqual(all.slice(0, 3));
    expect(pullTypes(await eventsFor(t, users.otherOfficer!))).toEqual([]);
    expect(pullTypes(await eventsFor(t, users.admin!))).toEqual([]);
  });
});
