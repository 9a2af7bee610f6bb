import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ingestScopeOf,
  ROLES,
  roleHas,
  type Permission,
  type Role,
} from '../../../shared/domain/roles';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { createIntegration } from '../../../server/integrations/integrationChanges';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';

/**
 * Every route declares what it needs, and every role is refused (403, audited) exactly the
 * routes whose permission it lacks.
 */
describe('permissions for every route', () => {
  let t: TestApp;
  const users = new Map<Role, TestUser>();

  beforeAll(async () => {
    t = await startTestApp('pglite');
    for (const role of ROLES) users.set(role, await t.user(role));
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('every route declares its access', () => {
    const undeclared = t.app.routes.filter((r) => r.access === undefined);
    expect(undeclared).toEqual([]);
    expect(t.app.routes.length).toBeGreaterThan(20);
  });

  it('refuses each role the routes it has no permission for, and audits the refusal', async () => {
    const guarded = t.app.routes.filter(
      (r) =>
        r.access !== 'public' &&
        r.access !== 'authenticated' &&
        r.access !== 'enrolment' &&
        // Ingest routes take integration keys, never sessions: their own test is below.
        ingestScopeOf(r.access) === null &&
        !r.url.endsWith('/stream'),
    );
    const mismatches: string[] = [];
    let denials = 0;
    for (const route of guarded) {
      const url = route.url.replace(/:([A-Za-z]+)/g, 'no-such-$1');
      for (const role of ROLES) {
        const user = users.get(role)!;
        const res = await t.as(user, route.method as 'GET', url);
        const allowed = roleHas(role, route.access as Permission);
        const refused = res.statusCode === 403;
        if (allowed === refused) {
          mismatches.push(
            `${role} ${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
        }
        if (refused) denials += 1;
      }
    }
    expect(mismatches).toEqual([]);
    const audited = await t.store.store.query<{ n: number }>(
      "select count(*)::int as n from audit_log where action = 'permission.denied' and outcome = 'denied'",
    );
    expect(Number(audited.rows[0]!.n)).toBe(denials);
    expect(denials).toBeGreaterThan(10);
  }, 180_000);

  it('ingest routes take a key of their scope only: a session is 401, another scope 403', async () => {
    const ingest = t.app.routes.filter((r) => ingestScopeOf(r.access) !== null);
    expect(ingest.length).toBeGreaterThan(2);
    const scopes = [...new Set(ingest.map((r) => ingestScopeOf(r.access)!))];
    const others = new Map<string, string>();
    for (const scope of scopes) {
      const other = scope === 'cap' ? 'tracks' : 'cap';
      const made = await createIntegration(
        t.app.ctx,
        { name: `not-${scope}`, scope: other },
        SYSTEM_ACTOR,
      );
      others.set(scope, made.key);
    }
    for (const route of ingest) {
      const url = route.url.replace(/:([A-Za-z]+)/g, 'no-such-$1');
      const where = `${route.method} ${route.url}`;
      const asAdmin = await t.as(users.get('admin')!, route.method as 'POST', url);
      expect(asAdmin.statusCode, where).toBe(401);
      const wrong = await t.app.api.inject({
        method: route.method as 'POST',
        url,
        headers: { authorization: `Bearer ${others.get(ingestScopeOf(route.access)!)}` },
      });
      expect(wrong.statusCode, where).toBe(403);
    }
  });

  it('refuses every non-public route without a token', async () => {
    const closed = t.app.routes.filter((r) => r.access !== 'public' && !r.url.endsWith('/stream'));
    for (const route of closed) {
      const url = route.url.replace(/:([A-Za-z]+)/g, 'x');
      const res = await t.app.api.inject({ method: route.method as 'GET', url });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
