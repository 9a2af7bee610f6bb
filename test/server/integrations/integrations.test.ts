import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe.each(STORE_KINDS)('integration keys over HTTP on %s', (kind) => {
  it('an administrator creates (key answered once), lists and revokes; all audited', async () => {
    t = await startTestApp(kind);
    const admin = await t.user('admin');
    const created = await t.as(admin, 'POST', '/v1/integrations', {
      name: 'County CAD',
      scope: 'cad',
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'County CAD',
      scope: 'cad',
      createdBy: admin.username,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(body.key).toMatch(/^wfi_[A-Za-z0-9_-]{43}$/);

    const listed = await t.as(admin, 'GET', '/v1/integrations');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().integrations).toHaveLength(1);
    // The key is never answered again, not even as its hash.
    expect(listed.body).not.toContain(body.key);
    expect(listed.body).not.toMatch(/key/i);

    const dup = await t.as(admin, 'POST', '/v1/integrations', { name: 'County CAD', scope: 'lpr' });
    expect(dup.statusCode).toBe(409);
    const badScope = await t.as(admin, 'POST', '/v1/integrations', { name: 'x1', scope: 'radar' });
    expect(badScope.statusCode).toBe(400);
    expect(badScope.json().message).toMatch(/scope/);

    const revoked = await t.as(admin, 'DELETE', `/v1/integrations/${body.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await t.as(admin, 'DELETE', '/v1/integrations/nope')).statusCode).toBe(404);

    const audit = await t.store.store.query<{ action: string; actor_id: string }>(
      "select action, actor_id from audit_log where target_type = 'integration' order by id",
    );
    expect(audit.rows).toEqual([
      { action: 'integration.create', actor_id: admin.id },
      { action: 'integration.revoke', actor_id: admin.id },
    ]);
  });

  it('only administrators manage integrations', async () => {
    t = await startTestApp(kind);
    const analyst = await t.user('analyst');
    const res = await t.as(analyst, 'POST', '/v1/integrations', { name: 'mine', scope: 'cad' });
    expect(res.statusCode).toBe(403);
    expect((await t.as(analyst, 'GET', '/v1/integrations')).statusCode).toBe(403);
  });
});
