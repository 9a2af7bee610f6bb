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
});
