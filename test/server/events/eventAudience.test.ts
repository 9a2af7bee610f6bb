import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../../server/app';
import type { ServerEvent } from '../../../shared/api/events';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { EventClient } from '../../support/eventClient';
import { agencyCamera } from '../cameras/cameraFixtures';

async function listen(app: App): Promise<string> {
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const layout = { grid: '1x1', tiles: [null], maximized: null };
const typesOf = (events: readonly ServerEvent[]) => events.map((e) => e.type);

/** Everything a user may page through after `after`, all pages. */
async function pageAll(t: TestApp, u: TestUser, after: number): Promise<ServerEvent[]> {
  const out: ServerEvent[] = [];
  let cursor = after;
  for (let i = 0; i < 50; i += 1) {
    const res = await t.as(u, 'GET', `/v1/events?after=${cursor}&limit=2`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as { events: ServerEvent[]; lastId: number };
    out.push(...page.events);
    if (page.lastId === cursor) return out;
    cursor = page.lastId;
  }
  throw new Error('paging did not end');
}

describe.each(STORE_KINDS)('event audiences on %s', (kind) => {
  it("a user never receives another user's layout events, live or on resume", async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const ana = await t.user('analyst');
    const lee = await t.user('lieutenant');
    const base = await listen(t.app);
    const anaLive = await EventClient.connect(base, ana.token, 0);
    const leeLive = await EventClient.connect(base, lee.token, 0);
    cleanups.push(
      () => anaLive.close(),
      () => leeLive.close(),
    );
    await anaLive.until(() => anaLive.live, 'live');
    await leeLive.until(() => leeLive.live, 'live');

    expect((await t.as(ana, 'PUT', '/v1/layouts/Ana%20wall', { layout })).statusCode).toBe(200);
    expect((await t.as(lee, 'PUT', '/v1/layouts/Lee%20wall', { layout })).statusCode).toBe(200);
    expect((await t.as(ana, 'DELETE', '/v1/layouts/Ana%20wall')).statusCode).toBe(200);

    await anaLive.until(() => anaLive.events.length >= 2, "ana's two events");
    await leeLive.until(() => leeLive.events.length >= 1, "lee's event");
    // Lee's save was committed between Ana's two events: once Ana has her second, any event of
    // Lee's that she were to receive would have arrived before it.
    expect(typesOf(anaLive.events)).toEqual(['layout.saved', 'layout.deleted']);
    expect(anaLive.events.every((e) => e.payload.userId === ana.id)).toBe(true);
    expect(typesOf(leeLive.events)).toEqual(['layout.saved']);
    expect(leeLive.events[0]!.payload.userId).toBe(lee.id);

    // Resume from the start: the same, and nothing of the other's.
    const anaAgain = await EventClient.connect(base, ana.token, 0);
    cleanups.push(() => anaAgain.close());
    await anaAgain.until(() => anaAgain.live, 'live after replay');
    expect(anaAgain.events.map((e) => e.id)).toEqual(anaLive.events.map((e) => e.id));
    // Resume after the first of Ana's events: exactly the rest, no gap, no duplicate.
    const anaResumed = await EventClient.connect(base, ana.token, anaLive.events[0]!.id);
    cleanups.push(() => anaResumed.close());
    await anaResumed.until(() => anaResumed.live, 'live after resume');
    expect(anaResumed.events.map((e) => e.id)).toEqual([anaLive.events[1]!.id]);

    // The page API applies the same rule, and small pages still reach the end.
    expect((await pageAll(t, ana, 0)).map((e) => e.id)).toEqual(anaLive.events.map((e) => e.id));
    expect((await pageAll(t, lee, 0)).map((e) => e.id)).toEqual(leeLive.events.map((e) => e.id));
  });

  it('a role without a permission never receives that domain’s events', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const admin = await t.user('admin');
    const officer = await t.user('officer');
    const base = await listen(t.app);
    const officerLive = await EventClient.connect(base, officer.token, 0);
    const adminLive = await EventClient.connect(base, admin.token, 0);
    cleanups.push(
      () => officerLive.close(),
      () => adminLive.close(),
    );
    await officerLive.until(() => officerLive.live, 'live');
    await adminLive.until(() => adminLive.live, 'live');

    // user.created needs users.manage, which officers lack; a camera event goes to everyone.
    const created = await t.as(admin, 'POST', '/v1/users', {
      username: 'newanalyst',
      role: 'analyst',
      password: 'a long enough password for the test',
    });
    expect(created.statusCode).toBe(201);
    const camera = await t.as(admin, 'POST', '/v1/cameras', agencyCamera());
    expect(camera.statusCode).toBe(201);

    await adminLive.until(() => typesOf(adminLive.events).includes('camera.created'), 'camera');
    await officerLive.until(() => typesOf(officerLive.events).includes('camera.created'), 'camera');
    expect(typesOf(adminLive.events)).toContain('user.created');
    expect(typesOf(officerLive.events)).not.toContain('user.created');

    const resumed = await EventClient.connect(base, officer.token, 0);
    cleanups.push(() => resumed.close());
    await resumed.until(() => resumed.live, 'live after replay');
    expect(typesOf(resumed.events)).toEqual(typesOf(officerLive.events));
    expect(typesOf(await pageAll(t, officer, 0))).not.toContain('user.created');
  });

  it('who watches which camera reaches the viewer and the auditors, not the rest of the floor', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const admin = await t.user('admin');
    const viewer = await t.user('analyst');
    const colleague = await t.user('analyst');
    const supervisor = await t.user('supervisor');
    const base = await listen(t.app);
    const camera = (await t.as(admin, 'POST', '/v1/cameras', agencyCamera())).json() as {
      id: string;
    };
    const clients = await Promise.all(
      [viewer, colleague, supervisor].map((u) => EventClient.connect(base, u.token, 0)),
    );
    cleanups.push(...clients.map((c) => () => c.close()));
    for (const c of clients) await c.until(() => c.live, 'live');
    const [viewerLive, colleagueLive, supervisorLive] = clients as [
      EventClient,
      EventClient,
      EventClient,
    ];

    const granted = await t.as(viewer, 'POST', `/v1/cameras/${camera.id}/grants`, {
      reason: { code: 'active_incident', reference: 'INC-2026-0042' },
      access: 'live',
    });
    expect(granted.statusCode).toBe(200);
    // A later event everyone with cameras.read receives: once the colleague has it, a
    // grant.issued meant for them would have come first.
    expect(
      (await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, { name: 'Renamed' })).statusCode,
    ).toBe(200);

    const sawUpdate = (c: EventClient) => typesOf(c.events).includes('camera.updated');
    for (const c of clients) await c.until(() => sawUpdate(c), 'the camera update');
    expect(typesOf(viewerLive.events)).toContain('grant.issued');
    expect(typesOf(supervisorLive.events)).toContain('grant.issued');
    expect(typesOf(colleagueLive.events)).not.toContain('grant.issued');
    expect(typesOf(await pageAll(t, colleague, 0))).not.toContain('grant.issued');
  });

  it('"case assigned to you" reaches the analyst assigned, live, and not a colleague', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const lieutenant = await t.user('lieutenant');
    const assigned = await t.user('analyst');
    const colleague = await t.user('analyst');
    const base = await listen(t.app);
    const clients = await Promise.all(
      [assigned, colleague].map((u) => EventClient.connect(base, u.token, 0)),
    );
    cleanups.push(...clients.map((c) => () => c.close()));
    for (const c of clients) await c.until(() => c.live, 'live');
    const [assignedLive, colleagueLive] = clients as [EventClient, EventClient];

    const opened = await t.as(lieutenant, 'POST', '/v1/cases', {
      title: 'Robbery at 4th and Main',
      type: 'robbery',
      analystIds: [assigned.id],
    });
    expect(opened.statusCode).toBe(201);
    // A later event everyone with cases.read receives: once the colleague has it, a
    // case.assigned meant for them would have come first.
    const number = (opened.json() as { number: string }).number;
    const noted = await t.as(lieutenant, 'POST', `/v1/cases/${number}/notes`, { text: 'Briefed' });
    expect(noted.statusCode).toBe(201);

    const sawNote = (c: EventClient) => typesOf(c.events).includes('case.updated');
    for (const c of clients) await c.until(() => sawNote(c), 'the note');
    expect(typesOf(assignedLive.events)).toEqual(['case.opened', 'case.assigned', 'case.updated']);
    expect(typesOf(colleagueLive.events)).toEqual(['case.opened', 'case.updated']);
    expect(typesOf(await pageAll(t, colleague, 0))).not.toContain('case.assigned');
  });
});
