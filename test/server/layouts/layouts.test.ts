import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const layout = { grid: '2x2', tiles: ['cam-a', null, 'cam-b', null], maximized: null };

describe.each(STORE_KINDS)('saved wall layouts on %s', (kind) => {
  it('are saved, replaced, listed and deleted per user', async () => {
    t = await startTestApp(kind);
    const ana = await t.user('analyst');
    const lee = await t.user('lieutenant');
    expect((await t.as(ana, 'PUT', '/v1/layouts/Downtown%20wall', { layout })).statusCode).toBe(
      200,
    );
    const replaced = await t.as(ana, 'PUT', '/v1/layouts/Downtown%20wall', {
      layout: { ...layout, grid: '1+5', maximized: 0 },
    });
    expect(replaced.json().layout.grid).toBe('1+5');
    await t.as(lee, 'PUT', '/v1/layouts/Mine', { layout });

    const mine = await t.as(ana, 'GET', '/v1/layouts');
    expect(mine.json().layouts.map((l: { name: string }) => l.name)).toEqual(['Downtown wall']);
    expect(mine.json().layouts[0].layout).toEqual({ ...layout, grid: '1+5', maximized: 0 });

    // Another user's layout is not theirs to delete.
    expect((await t.as(ana, 'DELETE', '/v1/layouts/Mine')).statusCode).toBe(404);
    const deleted = await t.as(ana, 'DELETE', '/v1/layouts/Downtown%20wall');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ name: 'Downtown wall', deleted: true });
    expect((await t.as(ana, 'GET', '/v1/layouts')).json().layouts).toEqual([]);
    expect((await t.as(lee, 'GET', '/v1/layouts')).json().layouts).toHaveLength(1);

    const audit = await t.store.store.query<{ action: string }>(
      "select action from audit_log where action like 'layout.%' order by id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'layout.save',
      'layout.save',
      'layout.save',
      'layout.delete',
    ]);
  });

  it('refuses layouts that do not fit their grid or have bad names', async () => {
    t = await startTestApp(kind);
    const ana = await t.user('analyst');
    const tooMany = { grid: '1x1', tiles: ['a', 'b'], maximized: null };
    expect((await t.as(ana, 'PUT', '/v1/layouts/x', { layout: tooMany })).statusCode).toBe(400);
    const badGrid = { grid: '5x5', tiles: [], maximized: null };
    expect((await t.as(ana, 'PUT', '/v1/layouts/x', { layout: badGrid })).statusCode).toBe(400);
    expect((await t.as(ana, 'PUT', '/v1/layouts/%3Cscript%3E', { layout })).statusCode).toBe(400);
    expect((await t.as(ana, 'GET', '/v1/layouts')).json().layouts).toEqual([]);
  });

  it('serves the agency configuration to signed-in users only', async () => {
    t = await startTestApp(kind);
    const officer = await t.user('officer');
    expect((await t.app.api.inject({ method: 'GET', url: '/v1/agency' })).statusCode).toBe(401);
    const res = await t.as(officer, 'GET', '/v1/agency');
    expect(res.statusCode).toBe(200);
    expect(res.json().timeZone).toBe('UTC');
  });

  it("the center's layouts are set by a supervisor and offered to everyone", async () => {
    t = await startTestApp(kind);
    const ana = await t.user('analyst');
    const sup = await t.user('supervisor');
    const off = await t.user('officer');
    // An analyst keeps their own layouts, not the center's.
    const refused = await t.as(ana, 'PUT', '/v1/center-layouts/Downtown', { layout });
    expect(refused.statusCode).toBe(403);
    const saved = await t.as(sup, 'PUT', '/v1/center-layouts/Downtown', { layout });
    expect(saved.statusCode).toBe(200);
    await t.as(sup, 'PUT', '/v1/center-layouts/Arena%20nights', {
      layout: { ...layout, grid: '1+5', maximized: 0 },
    });
    for (const who of [ana, off, sup]) {
      const listed = await t.as(who, 'GET', '/v1/center-layouts');
      expect(listed.json().layouts.map((l: { name: string }) => l.name)).toEqual([
        'Arena nights',
        'Downtown',
      ]);
    }
    // The center's layouts are not anybody's own, and the other way round.
    expect((await t.as(sup, 'GET', '/v1/layouts')).json().layouts).toEqual([]);
    expect((await t.as(ana, 'DELETE', '/v1/center-layouts/Downtown')).statusCode).toBe(403);
    expect((await t.as(sup, 'DELETE', '/v1/center-layouts/Downtown')).statusCode).toBe(200);
    expect((await t.as(sup, 'DELETE', '/v1/center-layouts/Downtown')).statusCode).toBe(404);
    expect(
      (await t.as(ana, 'GET', '/v1/center-layouts'))
        .json()
        .layouts.map((l: { name: string }) => l.name),
    ).toEqual(['Arena nights']);

    const audit = await t.store.store.query<{ action: string; actor_id: string }>(
      "select action, actor_id from audit_log where action like 'layout.center.%' order by id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'layout.center.save',
      'layout.center.save',
      'layout.center.delete',
    ]);
    expect(new Set(audit.rows.map((r) => r.actor_id))).toEqual(new Set([sup.id]));
  });

  it('refuses a center layout that does not fit its grid, and changes nothing', async () => {
    t = await startTestApp(kind);
    const sup = await t.user('supervisor');
    const tooMany = { grid: '1x1', tiles: ['a', 'b'], maximized: null };
    const res = await t.as(sup, 'PUT', '/v1/center-layouts/x', { layout: tooMany });
    expect(res.statusCode).toBe(400);
    expect((await t.as(sup, 'GET', '/v1/center-layouts')).json().layouts).toEqual([]);
  });
});
