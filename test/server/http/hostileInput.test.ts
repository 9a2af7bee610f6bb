import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../server/store/store';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { createIntegration } from '../../../server/integrations/integrationChanges';
import { INGEST_SCOPES, ingestScopeOf, type IngestScope } from '../../../shared/domain/roles';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../../support/testApp';
import { agencyCamera, integratedCamera, OWNER, registeredCamera } from '../cameras/cameraFixtures';
import { cadIncident } from '../incidents/incidentFixtures';
import { startTipLineApp, type TipLineApp } from '../tips/support/tipLineApp';
import { STORE_KINDS } from '../../support/stores';
import { AGENCY_SECTIONS, type AgencySectionName } from '../../../shared/api/agency';
import type { AgencyConfig } from '../../../shared/domain/agency';

/** The agency's sections whose value is an object (the shifts are a list; the walk covers them). */
const AGENCY_OBJECT_SECTIONS: readonly AgencySectionName[] = [
  'identity',
  'jurisdiction',
  'map',
  'session',
  'incidents',
  'alerts',
  'docking',
  'cases',
  'products',
  'auditFlags',
  'portal',
];
import { TINY_PNG } from '../reports/images';
import { auditBy } from '../../../server/audit/actor';
import { flagsBetween } from '../../../server/auditReview/auditFlagRun';
import { shiftsBetween } from '../../../shared/domain/shifts';
import { formatIsoDate } from '../../../shared/time/zonedTime';
import { confirmedLookAlike } from '../portal/registrationFixtures';
import { onlineReportsToDecide } from '../portal/reportFixtures';

/**
 * Every route in the OpenAPI document gets malformed, oversized and hostile input from a user
 * who may call it. Each must answer 4xx with a clear message (never 5xx, never a stack trace)
 * and must change nothing.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface OpenApiParam {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: { type?: string | string[] };
}
interface OpenApiOperation {
  parameters?: OpenApiParam[];
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

interface Attack {
  readonly label: string;
  readonly url: string;
  readonly payload?: string;
  readonly contentType?: string;
}

const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '\u0000\u0001\u0002',
  'A'.repeat(5000),
  '🦄'.repeat(300),
  '-1',
  '1e309',
  'NaN',
  '{"$gt": ""}',
];

const HOSTILE_VALUES: unknown[] = [
  null,
  -1,
  Number.MAX_VALUE,
  Number.MIN_SAFE_INTEGER,
  true,
  [],
  ['x', 1],
  { $ne: null },
  { __proto__: { admin: true } },
  "' OR 1=1 --",
  'A'.repeat(100_000),
];

/** Merged into valid bodies: the hostile values and the strings PostgreSQL or a page may choke on. */
const MERGED_VALUES: unknown[] = [
  ...HOSTILE_VALUES,
  '\u0000\u0001\u0002',
  'before\u0000after',
  '<script>alert(1)</script>',
  '🦄'.repeat(300),
  '../../../../etc/passwd',
];

/** Columns that record use rather than content: an integration's last accepted post. */
const USE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  integrations: ['last_used_at'],
};

/** Tables whose content must not change; the audit trail is meant to record the attempts. */
async function snapshot(db: Queryable): Promise<Record<string, string>> {
  const tables = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE'
       and table_name not in ('audit_log', 'sessions', 'schema_migrations')`,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const row = `(to_jsonb(t) - $1::text[])::text`;
    const res = await db.query<{ digest: string | null; n: number }>(
      `select md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as digest,
              count(*)::int as n from ${table_name} t`,
      [USE_COLUMNS[table_name] ?? []],
    );
    out[table_name] = `${res.rows[0]!.n}:${res.rows[0]!.digest}`;
  }
  return out;
}

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

function attacksFor(path: string, method: Method, op: OpenApiOperation, realId: string): Attack[] {
  const attacks: Attack[] = [];
  const params = op.parameters ?? [];
  const base = fillPath(path, realId);
  if (params.some((p) => p.in === 'path')) {
    for (const s of HOSTILE_STRINGS)
      attacks.push({ label: `path=${s.slice(0, 20)}`, url: fillPath(path, s) });
  }
  for (const q of params.filter((p) => p.in === 'query')) {
    for (const s of HOSTILE_STRINGS) {
      attacks.push({
        label: `query ${q.name}=${s.slice(0, 20)}`,
        url: `${base}?${q.name}=${encodeURIComponent(s)}`,
      });
    }
    attacks.push({ label: `query ${q.name} twice`, url: `${base}?${q.name}=1&${q.name}=2` });
  }
  const json = op.requestBody?.content['application/json'];
  if (method !== 'GET' && json) {
    const props = Object.keys(json.schema?.properties ?? {});
    attacks.push({
      label: 'body not JSON',
      url: base,
      payload: '{"unterminated": ',
      contentType: 'application/json',
    });
    attacks.push({
      label: 'body is an array',
      url: base,
      payload: '[1,2,3]',
      contentType: 'application/json',
    });
    attacks.push({
      label: 'body is a string',
      url: base,
      payload: '"hello"',
      contentType: 'application/json',
    });
    attacks.push({
      label: 'body is null',
      url: base,
      payload: 'null',
      contentType: 'application/json',
    });
    attacks.push({
      label: 'body too large',
      url: base,
      payload: JSON.stringify({ filler: 'x'.repeat(25 * 1024 * 1024) }),
      contentType: 'application/json',
    });
    attacks.push({
      label: 'deeply nested',
      url: base,
      payload: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
      contentType: 'application/json',
    });
    attacks.push({
      label: 'proto pollution',
      url: base,
      payload: '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"x": 1}}}',
      contentType: 'application/json',
    });
    attacks.push({
      label: 'wrong content type',
      url: base,
      payload: '<xml/>',
      contentType: 'application/xml',
    });
    for (const prop of props) {
      for (const v of HOSTILE_VALUES) {
        attacks.push({
          label: `body ${prop}=${JSON.stringify(v)?.slice(0, 20)}`,
          url: base,
          payload: JSON.stringify({ [prop]: v }),
          contentType: 'application/json',
        });
      }
    }
  }
  return attacks;
}

describe('hostile input against every route', () => {
  let t: TestApp;
  let admin: TestUser;
  /** Ingest routes take an integration key of their scope instead of a session. */
  const keys = new Map<IngestScope, string>();
  let ingestScopes: Map<string, IngestScope>;
  let doc: { paths: Record<string, Partial<Record<Lowercase<Method>, OpenApiOperation>>> };

  beforeAll(async () => {
    t = await startTestApp('pglite');
    admin = await t.user('admin');
    for (const scope of INGEST_SCOPES) {
      const made = await createIntegration(t.app.ctx, { name: scope, scope }, SYSTEM_ACTOR);
      keys.set(scope, made.key);
    }
    ingestScopes = new Map(
      t.app.routes.flatMap((r) => {
        const scope = ingestScopeOf(r.access);
        const path = r.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
        return scope ? [[`${r.method} ${path}`, scope] as const] : [];
      }),
    );
    const res = await t.app.api.inject({ method: 'GET', url: '/v1/openapi.json' });
    doc = res.json();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('covers the API (the document lists the routes we expect)', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThanOrEqual(10);
    for (const p of ['/v1/health', '/v1/events', '/v1/audit', '/v1/auth/login']) {
      expect(paths).toContain(p);
    }
  });

  const bearerFor = (method: Method, path: string) => {
    const scope = ingestScopes.get(`${method} ${path}`);
    return scope ? keys.get(scope)! : admin.token;
  };

  it('reaches the ingest routes with a key of their scope', () => {
    expect([...ingestScopes.keys()]).toContain('POST /v1/ingest/cad/incidents');
  });

  it('answers every attack with a clear 4xx and changes nothing', async () => {
    const failures: string[] = [];
    let count = 0;
    const before = await snapshot(t.store.store);
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (path.endsWith('/stream')) continue; // WebSocket upgrade: covered by the event tests
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase() as Method;
        for (const attack of attacksFor(path, method, op as OpenApiOperation, 'no-such-id')) {
          // The products section is one free-text field, so a body of that field alone is a
          // whole valid section: a hostile-looking string is a handling line like any other.
          // The walk below sends these values into it and reads them back.
          if (path === '/v1/agency/products' && /^body classification="/.test(attack.label)) {
            continue;
          }
          count += 1;
          const res = await t.app.api.inject({
            method,
            url: attack.url,
            headers: {
              authorization: `Bearer ${bearerFor(method, path)}`,
              ...(attack.contentType ? { 'content-type': attack.contentType } : {}),
            },
            ...(attack.payload !== undefined ? { payload: attack.payload } : {}),
          });
          const where = `${method} ${path} [${attack.label}] → ${res.statusCode}`;
          if (res.statusCode >= 500) {
            failures.push(`${where}: ${res.body.slice(0, 200)}`);
            continue;
          }
          if (res.statusCode < 400) {
            // A harmless value accepted (a search for "'; drop"): still a well-formed reply.
            if (/\.ts:\d+|\n\s+at /.test(res.body)) failures.push(`${where}: stack trace in reply`);
            if (String(res.headers['content-type']).includes('json')) {
              try {
                JSON.parse(res.body);
              } catch {
                failures.push(`${where}: reply says JSON but is not`);
              }
            }
            continue;
          }
          let body: { message?: unknown };
          try {
            body = res.json();
          } catch {
            failures.push(`${where}: reply is not JSON`);
            continue;
          }
          if (typeof body.message !== 'string' || body.message.length === 0) {
            failures.push(`${where}: no message`);
          }
          if (/\.ts:\d+|\n\s+at /.test(res.body)) failures.push(`${where}: stack trace in reply`);
        }
      }
    }
    expect(count).toBeGreaterThan(200);
    expect(failures).toEqual([]);
    expect(await snapshot(t.store.store)).toEqual(before);
  }, 300_000);
});

/**
 * The same hostile values, each merged into an otherwise valid body (every top-level field, and
 * every field of an object-valued one) and sent against a record that exists, so they reach the
 * code behind the schema instead of dying as a missing field or a 404. Refused: a clear 4xx that
 * committed nothing (every committed change has an event). Accepted: whatever was stored must
 * still read back, through the record's own GET and its list.
 */
describe.each(STORE_KINDS)(
  'hostile values inside valid bodies, against real records on %s',
  (kind) => {
    let t: TipLineApp;
    const users = new Map<string, TestUser>();
    let cadKey: string;

    interface Target {
      readonly method: Method;
      readonly url: string;
      /** The role whose session sends it, or an ingest key. */
      readonly as: 'admin' | 'analyst' | 'lieutenant' | 'supervisor' | { readonly key: string };
      /** A fresh valid body (fresh: a field that must be unique differs on every call). */
      readonly body: () => Record<string, unknown>;
      /** Reads that must keep answering after an accepted request. */
      readonly reads: readonly string[];
    }
    let targets: Target[];
    let ptzCamera: Server | null = null;
    let n = 0;
    const unique = (prefix: string) => `${prefix}${++n}`;

    function send(target: Target, body: unknown) {
      const bearer = typeof target.as === 'string' ? users.get(target.as)!.token : target.as.key;
      return t.app.api.inject({
        method: target.method,
        url: target.url,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    }

    async function lastEventId(): Promise<number> {
      const res = await t.store.store.query<{ id: number | null }>(
        'select max(id) as id from events',
      );
      return Number(res.rows[0]!.id ?? 0);
    }

    /** The valid body with one field replaced: each top-level field, and each nested one. */
    function variants(body: Record<string, unknown>, value: unknown) {
      const out: { field: string; body: Record<string, unknown> }[] = [];
      for (const [key, current] of Object.entries(body)) {
        out.push({ field: key, body: { ...body, [key]: value } });
        if (current && typeof current === 'object' && !Array.isArray(current)) {
          for (const inner of Object.keys(current)) {
            out.push({
              field: `${key}.${inner}`,
              body: { ...body, [key]: { ...(current as object), [inner]: value } },
            });
          }
        }
      }
      return out;
    }

    beforeAll(async () => {
      t = await startTipLineApp(kind);
      for (const role of ['admin', 'analyst', 'lieutenant', 'supervisor'] as const) {
        users.set(role, await t.user(role));
      }
      const admin = users.get('admin')!;
      const analyst = users.get('analyst')!;
      const other = await t.user('analyst');
      cadKey = (await createIntegration(t.app.ctx, { name: 'cad', scope: 'cad' }, SYSTEM_ACTOR))
        .key;

      const made = async (res: Promise<{ statusCode: number; body: string }>) => {
        const r = await res;
        expect(r.statusCode, r.body).toBeLessThan(300);
        return JSON.parse(r.body) as { id: string; number?: string };
      };
      const agency = await made(t.as(admin, 'POST', '/v1/cameras', agencyCamera()));
      const registered = await made(t.as(admin, 'POST', '/v1/cameras', registeredCamera()));
      const alarmed = await made(
        t.as(admin, 'POST', '/v1/cameras', integratedCamera({ mode: 'alarm' })),
      );
      expect((await t.text('+13365550123', 'A grey sedan keeps circling Main St')).statusCode).toBe(
        200,
      );
      const tipId = (await t.as(analyst, 'GET', '/v1/tips')).json().tips[0].id as string;
      const incidentBody = cadIncident('WS-2026-000001');
      const posted = await t.app.api.inject({
        method: 'POST',
        url: '/v1/ingest/cad/incidents',
        headers: { authorization: `Bearer ${cadKey}` },
        payload: incidentBody,
      });
      expect(posted.statusCode, posted.body).toBeLessThan(300);
      const incidentId = (await t.as(analyst, 'GET', '/v1/incidents')).json().incidents[0]
        .id as string;
      const tipLine = (await t.as(admin, 'GET', '/v1/tip-line')).json().settings as Record<
        string,
        unknown
      >;
      const reason = { code: 'active_incident', reference: 'INC-2026-118' };
      const lieutenant = users.get('lieutenant')!;
      const caseNumber = (
        await made(
          t.as(lieutenant, 'POST', '/v1/cases', {
            title: 'Burglary series',
            type: 'burglary',
            analystIds: [analyst.id],
          }),
        )
      ).number as string;
      const caseUrl = `/v1/cases/${caseNumber}`;
      const caseReads = [caseUrl, '/v1/cases?scope=all'];
      const radioPull = () => ({
        requester: { name: 'Ofc. Dana Reyes', badge: '4471', unit: '2B12' },
        caseNumber: '2026-004512',
        incidentId,
        position: { lat: 36.0999, lon: -80.2442 },
        address: '100 N Main St',
        windowStart: new Date(t.clock.now() - 2 * 3_600_000).toISOString(),
        windowEnd: new Date(t.clock.now() - 3_600_000).toISOString(),
        lookFor: 'Grey sedan leaving north on Main St',
        urgency: 'priority',
      });
      const pull = (await made(t.as(analyst, 'POST', '/v1/pulls', radioPull()))) as unknown as {
        pull: { id: string };
      };
      const pullId = pull.pull.id;
      const config = (await t.as(admin, 'GET', '/v1/agency')).json() as AgencyConfig;
      const agencySections = Object.fromEntries(
        AGENCY_OBJECT_SECTIONS.map((s) => [s, AGENCY_SECTIONS[s].read(config)]),
      );
      // The shift running now takes entries; the one before is signed off by the walk; the one
      // before that is signed off here and takes addenda.
      const agencyConfig = (await t.as(admin, 'GET', '/v1/agency')).json() as AgencyConfig;
      const now = t.app.ctx.clock.now();
      const [olderShift, previousShift, currentShift] = shiftsBetween(
        agencyConfig.shifts,
        now - 36 * 3_600_000,
        now,
        agencyConfig.timeZone,
      )
        .slice(-3)
        .map((i) => `/v1/shifts/${formatIsoDate(i.date)}/${encodeURIComponent(i.shift.name)}`);
      const supervisor = users.get('supervisor')!;
      expect((await t.as(supervisor, 'POST', `${olderShift}/signoff`, {})).statusCode).toBe(200);
      // A portal registration that repeats a registry entry, for an admin to settle.
      const lookAlike = await confirmedLookAlike(t.app.ctx);

      // The audit review: eleven views without a case by one analyst raise a flag to review.
      for (let v = 0; v < 11; v += 1) {
        await t.app.ctx.record({
          audit: auditBy(
            { id: other.id, name: other.username },
            {
              action: 'stream.grant',
              targetType: 'camera',
              targetId: agency.id,
              outcome: 'success',
              details: { reason: { code: 'event_situational_awareness' }, access: 'live' },
            },
          ),
          event: null,
        });
      }
      const auditFlag = (
        await flagsBetween(t.store.store, t.clock, t.clock.now() - 86_400_000, t.clock.now() + 1)
      ).find((f) => f.kind === 'no_case_views')!.key;
      // Camera administration (docs/cameras-admin.md): a pair to merge.
      const survivor = await made(
        t.as(admin, 'POST', '/v1/cameras', registeredCamera({ name: 'Merge survivor' } as never)),
      );
      const duplicate = await made(
        t.as(admin, 'POST', '/v1/cameras', registeredCamera({ name: 'Merge duplicate' } as never)),
      );

      targets = [
        {
          method: 'POST',
          url: '/v1/audit/review/flags/review',
          as: 'admin',
          body: () => ({ key: auditFlag, note: 'Checked with the analyst: a parade detail.' }),
          reads: ['/v1/audit/review/flags', '/v1/audit/review/entries?limit=5'],
        },
        {
          method: 'POST',
          url: '/v1/users',
          as: 'admin',
          body: () => ({
            username: unique('hostile-user-'),
            displayName: 'Hostile Input',
            role: 'analyst',
            password: TEST_PASSWORD,
          }),
          reads: ['/v1/users', '/v1/users/on-shift'],
        },
        {
          method: 'PATCH',
          url: `/v1/users/${other.id}`,
          as: 'admin',
          body: () => ({ displayName: 'Analyst Two', role: 'analyst', disabled: false }),
          reads: ['/v1/users', '/v1/users/on-shift'],
        },
        // A new account with a temporary password: the server makes it, so the body has none.
        {
          method: 'POST',
          url: '/v1/users',
          as: 'admin',
          body: () => ({
            username: unique('hostile-temp-'),
            displayName: 'Hostile Temporary',
            role: 'officer',
          }),
          reads: ['/v1/users', '/v1/users/on-shift'],
        },
        {
          method: 'POST',
          url: '/v1/cameras',
          as: 'admin',
          body: () => ({ ...agencyCamera(), name: unique('Hostile cam ') }),
          reads: ['/v1/cameras', '/v1/cameras/export.geojson'],
        },
        {
          method: 'PATCH',
          url: `/v1/cameras/${agency.id}`,
          as: 'admin',
          body: () => ({
            name: 'Traffic cam 4th & Main',
            lat: 36.0995,
            lng: -80.2435,
            address: '400 N Main St',
            notes: 'Pole mount',
          }),
          reads: [`/v1/cameras/${agency.id}`, '/v1/cameras', '/v1/cameras/export.geojson'],
        },
        {
          method: 'PATCH',
          url: `/v1/cameras/${registered.id}`,
          as: 'admin',
          body: () => ({ name: 'Corner store doorbell', retentionDays: 30, owner: { ...OWNER } }),
          reads: [`/v1/cameras/${registered.id}`, '/v1/cameras', '/v1/cameras/export.geojson'],
        },
        {
          method: 'POST',
          url: `/v1/cameras/${alarmed.id}/alarm`,
          as: 'admin',
          body: () => ({ active: true }),
          reads: [`/v1/cameras/${alarmed.id}`, '/v1/cameras'],
        },
        {
          method: 'POST',
          url: `/v1/cameras/${registered.id}/owner-contact`,
          as: 'analyst',
          body: () => ({ reason: { ...reason, note: 'Burglary on 4th St' } }),
          reads: [`/v1/cameras/${registered.id}`, '/v1/audit?limit=5'],
        },
        {
          method: 'POST',
          url: `/v1/cameras/${agency.id}/grants`,
          as: 'analyst',
          body: () => ({ reason, access: 'live', variant: 'sub' }),
          reads: [`/v1/cameras/${agency.id}`, '/v1/audit?limit=5'],
        },
        {
          method: 'PUT',
          url: '/v1/layouts/Hostile%20wall',
          as: 'analyst',
          body: () => ({
            layout: { grid: '2x2', tiles: ['cam-a', null, null, null], maximized: null },
          }),
          reads: ['/v1/layouts'],
        },
        {
          method: 'PUT',
          url: '/v1/center-layouts/Hostile%20center%20wall',
          as: 'supervisor',
          body: () => ({
            layout: { grid: '2x2', tiles: ['cam-a', null, null, null], maximized: null },
          }),
          reads: ['/v1/center-layouts'],
        },
        {
          method: 'POST',
          url: `/v1/tips/${tipId}/state`,
          as: 'analyst',
          body: () => ({ state: 'reviewing' }),
          reads: [`/v1/tips/${tipId}`, '/v1/tips'],
        },
        {
          method: 'POST',
          url: `/v1/tips/${tipId}/assignee`,
          as: 'analyst',
          body: () => ({ userId: analyst.id }),
          reads: [`/v1/tips/${tipId}`, '/v1/tips'],
        },
        {
          method: 'POST',
          url: `/v1/tips/${tipId}/links`,
          as: 'analyst',
          body: () => ({ incidentNumber: 'WS-2026-118842', caseNumber: '26-CR-118' }),
          reads: [`/v1/tips/${tipId}`, '/v1/tips'],
        },
        {
          method: 'POST',
          url: `/v1/tips/${tipId}/replies`,
          as: 'analyst',
          body: () => ({ body: 'Thank you. Which block?' }),
          reads: [`/v1/tips/${tipId}`, '/v1/tips'],
        },
        {
          method: 'PUT',
          url: '/v1/agency/tipLine',
          as: 'admin',
          body: () => ({ ...tipLine }),
          reads: ['/v1/tip-line', '/v1/agency'],
        },
        ...AGENCY_OBJECT_SECTIONS.map((section) => ({
          method: 'PUT' as const,
          url: `/v1/agency/${section}`,
          as: 'admin' as const,
          body: () => ({ ...(agencySections[section] as Record<string, unknown>) }),
          reads: ['/v1/agency', '/v1/tip-line'],
        })),
        {
          method: 'POST',
          url: '/v1/integrations',
          as: 'admin',
          body: () => ({ name: unique('hostile-feed-'), scope: 'cad' }),
          reads: ['/v1/integrations'],
        },
        {
          method: 'POST',
          url: '/v1/ingest/cad/incidents',
          as: { key: cadKey },
          body: () => cadIncident(unique('WS-2026-1')),
          reads: ['/v1/incidents', `/v1/incidents/${incidentId}`],
        },
        {
          method: 'POST',
          url: `/v1/incidents/${incidentId}/notes`,
          as: 'analyst',
          body: () => ({ text: 'Camera 14 shows a grey sedan leaving north' }),
          reads: [`/v1/incidents/${incidentId}`, '/v1/incidents'],
        },
        {
          method: 'POST',
          url: `/v1/incidents/${incidentId}/links`,
          as: 'analyst',
          body: () => ({ kind: 'case', ref: '26-CR-118' }),
          reads: [`/v1/incidents/${incidentId}`, '/v1/incidents'],
        },
        {
          method: 'POST',
          url: '/v1/cases',
          as: 'lieutenant',
          body: () => ({
            title: 'Robbery at 4th and Main',
            type: 'robbery',
            priority: 'high',
            leadInvestigator: 'Det. R. Ruiz #4411',
            analystIds: [analyst.id],
            dueDate: '2026-12-15',
          }),
          reads: ['/v1/cases?scope=all'],
        },
        {
          method: 'PATCH',
          url: caseUrl,
          as: 'lieutenant',
          body: () => ({
            title: 'Burglary series, Ardmore',
            type: 'burglary',
            priority: 'normal',
            leadInvestigator: 'Det. A. Cole',
            dueDate: '2026-12-20',
          }),
          reads: caseReads,
        },
        {
          method: 'POST',
          url: `${caseUrl}/status`,
          as: 'analyst',
          body: () => ({ status: 'active' }),
          reads: caseReads,
        },
        {
          method: 'PUT',
          url: `${caseUrl}/analysts`,
          as: 'lieutenant',
          body: () => ({ analystIds: [analyst.id] }),
          reads: caseReads,
        },
        {
          method: 'POST',
          url: `${caseUrl}/reassign`,
          as: 'lieutenant',
          body: () => ({ from: analyst.id, to: analyst.id }),
          reads: caseReads,
        },
        {
          method: 'POST',
          url: `${caseUrl}/notes`,
          as: 'analyst',
          body: () => ({ text: 'Grey sedan on cam 14 at 02:10' }),
          reads: caseReads,
        },
        {
          method: 'POST',
          url: `${caseUrl}/links`,
          as: 'analyst',
          body: () => ({ kind: 'incident', ref: incidentId }),
          reads: caseReads,
        },
        {
          method: 'POST',
          url: '/v1/pulls',
          as: 'analyst',
          body: radioPull,
          reads: ['/v1/pulls', '/v1/pulls/workload'],
        },
        {
          method: 'PATCH',
          url: `/v1/pulls/${pullId}`,
          as: 'analyst',
          body: () => ({
            lookFor: 'Grey sedan, dented rear bumper',
            urgency: 'urgent',
            radiusM: 300,
            requester: { name: 'Ofc. Dana Reyes', unit: '2B12' },
            position: { lat: 36.0999, lon: -80.2442 },
          }),
          reads: [`/v1/pulls/${pullId}`, '/v1/pulls'],
        },
        {
          method: 'POST',
          url: `/v1/pulls/${pullId}/candidates/${registered.id}/outcome`,
          as: 'analyst',
          body: () => ({ outcome: 'contacted', note: 'Left a voicemail' }),
          reads: [`/v1/pulls/${pullId}`, '/v1/pulls'],
        },
        {
          method: 'POST',
          url: `${currentShift}/entries`,
          as: 'supervisor',
          body: () => ({ kind: 'notable_event', text: 'Camera 14 offline since 19:40' }),
          reads: [currentShift!, `${currentShift}/report`],
        },
        {
          method: 'POST',
          url: `${previousShift}/signoff`,
          as: 'supervisor',
          body: () => ({ note: 'Quiet shift' }),
          reads: [previousShift!, `${previousShift}/report`],
        },
        {
          method: 'POST',
          url: `${olderShift}/addenda`,
          as: 'supervisor',
          body: () => ({ kind: 'other', text: 'Correction: camera 14 came back at 23:10' }),
          reads: [olderShift!, `${olderShift}/report`],
        },
        {
          method: 'POST',
          url: '/v1/products',
          as: 'analyst',
          body: () => ({
            kind: 'assist_report',
            title: 'Shots fired, 100 N Main St',
            caseNumber: '2026-000123',
            incidentNumber: 'WS-2026-000001',
            text: 'Docked four cameras; camera 14 shows a grey sedan leaving north.',
            stills: [{ dataUrl: `data:image/png;base64,${TINY_PNG}`, caption: 'Camera 14' }],
          }),
          reads: ['/v1/products?caseNumber=2026-000123'],
        },
        // Retention (docs/retention.md): the periods, and a case's legal hold.
        {
          method: 'PUT',
          url: '/v1/agency/retention',
          as: 'admin',
          body: () => ({ ...agencyConfig.retention }),
          reads: ['/v1/agency', '/v1/retention'],
        },
        {
          method: 'PUT',
          url: `${caseUrl}/legal-hold`,
          as: 'lieutenant',
          body: () => ({ held: true, reason: 'Preservation letter from the district attorney' }),
          reads: [...caseReads, '/v1/retention'],
        },
        {
          method: 'POST',
          url: `/v1/registrations/${lookAlike.registration.id}/cameras/${lookAlike.cameraId}/duplicate`,
          as: 'admin',
          body: () => ({ resolution: 'distinct' }),
          reads: ['/v1/registrations', '/v1/registrations?duplicates=open', '/v1/cameras'],
        },
        // Camera administration (docs/cameras-admin.md).
        {
          method: 'PATCH',
          url: `/v1/cameras/${agency.id}`,
          as: 'admin',
          body: () => ({
            bearingDeg: 90,
            fovDeg: 70,
            rangeM: 120,
            source: {
              protocol: 'rtsp',
              url: 'rtsp://traffic-4.example.test/live',
              keepCredentials: true,
            },
            recordings: {
              urlTemplate: 'https://nvr.example.test/clip.mp4?start={start}&end={end}',
              password: 'nvr-secret',
            },
          }),
          reads: [`/v1/cameras/${agency.id}`, `/v1/cameras/${agency.id}/admin`, '/v1/cameras'],
        },
        {
          method: 'POST',
          url: '/v1/cameras/import-text',
          as: 'admin',
          body: () => ({
            format: 'csv',
            content: `kind,name,lat,lng,owner_name\nregistered,${unique('Imported porch ')},36.1,-80.24,Ann Owner\n`,
          }),
          reads: ['/v1/cameras', '/v1/cameras/duplicates'],
        },
        {
          method: 'POST',
          url: '/v1/cameras/test-source',
          as: 'admin',
          // Nothing listens on port 9: the test fails at once, and says so.
          body: () => ({ source: { protocol: 'http-ts', url: 'http://127.0.0.1:9/cam.ts' } }),
          reads: ['/v1/audit?limit=5'],
        },
        {
          method: 'POST',
          url: '/v1/cameras/test-recordings',
          as: 'admin',
          // As above: nothing listens on port 9, so the fetch fails at once.
          body: () => ({
            recordings: { urlTemplate: 'http://127.0.0.1:9/clip.mp4?start={start}&end={end}' },
          }),
          reads: ['/v1/audit?limit=5'],
        },
        {
          method: 'POST',
          url: `/v1/cameras/${survivor.id}/merge`,
          as: 'admin',
          body: () => ({ duplicateId: duplicate.id }),
          reads: [
            `/v1/cameras/${survivor.id}/admin`,
            `/v1/cameras/${duplicate.id}/admin`,
            '/v1/cameras',
          ],
        },
        // Online reports' review (docs/online-reports.md): one report per outcome.
        ...(await onlineReportsToDecide(t.app.ctx)).map(([path, body]) => ({
          method: 'POST' as const,
          url: path,
          as: 'analyst' as const,
          body,
          reads: ['/v1/online-reports', '/v1/online-reports?state=all'],
        })),
        // PTZ (docs/ptz.md): a step under the analyst's own live grant on a camera whose
        // control endpoint takes it.
        ...(await (async (): Promise<Target[]> => {
          ptzCamera = createServer((req, res) => {
            req.resume();
            req.on('end', () => res.writeHead(204).end());
          });
          await new Promise<void>((r) => ptzCamera!.listen(0, '127.0.0.1', () => r()));
          const { port } = ptzCamera.address() as AddressInfo;
          const steerable = await made(
            t.as(
              admin,
              'POST',
              '/v1/cameras',
              agencyCamera({
                name: 'Hostile PTZ dome',
                source: {
                  protocol: 'http-ts',
                  url: 'http://dome.example.test/live.ts',
                  codecHint: 'h264',
                  ptz: true,
                  ptzUrl: `http://127.0.0.1:${port}/ptz`,
                },
              } as never),
            ),
          );
          const grant = await made(
            t.as(analyst, 'POST', `/v1/cameras/${steerable.id}/grants`, {
              reason: { code: 'active_incident', reference: 'INC-2026-118' },
              access: 'live',
            }),
          );
          const grantId = (grant as unknown as { grantId: string }).grantId;
          return [
            {
              method: 'POST',
              url: `/v1/grants/${grantId}/ptz`,
              as: 'analyst',
              body: () => ({ command: 'left' }),
              reads: [`/v1/cameras/${steerable.id}`, '/v1/audit?limit=5'],
            },
          ];
        })()),
        // The agency's address points (docs/address-points.md).
        {
          method: 'POST',
          url: '/v1/addresses/import',
          as: 'admin',
          body: () => ({
            format: 'csv',
            content: `address,place,kind,lat,lng\n${unique('')}00 block N Main St,,,36.1,-80.24\n`,
          }),
          reads: ['/v1/addresses?q=main', '/v1/addresses/streets'],
        },
      ];
    }, 120_000);
    afterAll(async () => {
      await t.close();
      await new Promise<void>((r) => (ptzCamera ? ptzCamera.close(() => r()) : r()));
    });

    it('accepts each valid body as it stands (the attacks below start from it)', async () => {
      const refused: string[] = [];
      for (const target of targets) {
        const res = await send(target, target.body());
        if (res.statusCode >= 300) {
          refused.push(
            `${target.method} ${target.url} → ${res.statusCode} ${res.body.slice(0, 160)}`,
          );
        }
      }
      expect(refused).toEqual([]);
    });

    it('refuses a hostile field with a clear 4xx that commits nothing, or stores it readably', async () => {
      const failures: string[] = [];
      let accepted = 0;
      let refused = 0;
      for (const target of targets) {
        for (const value of MERGED_VALUES) {
          for (const { field, body } of variants(target.body(), value)) {
            const where = `${target.method} ${target.url} [${field}=${JSON.stringify(value)?.slice(0, 20)}]`;
            const before = await lastEventId();
            const res = await send(target, body);
            if (res.statusCode >= 500 || res.statusCode < 200) {
              failures.push(`${where} → ${res.statusCode}: ${res.body.slice(0, 200)}`);
              continue;
            }
            if (res.statusCode >= 400) {
              refused += 1;
              const message = (JSON.parse(res.body) as { message?: unknown }).message;
              if (typeof message !== 'string' || message.length === 0) {
                failures.push(`${where} → ${res.statusCode}: no message`);
              }
              if ((await lastEventId()) !== before) {
                failures.push(`${where} → ${res.statusCode} but a change was committed`);
              }
              continue;
            }
            accepted += 1;
            for (const read of target.reads) {
              const back = await t
                .as(users.get('admin')!, 'GET', read)
                .then((r) => (r.statusCode === 403 ? t.as(users.get('analyst')!, 'GET', read) : r));
              if (back.statusCode !== 200) {
                failures.push(
                  `${where} accepted, then GET ${read} → ${back.statusCode}: ${back.body.slice(0, 200)}`,
                );
              } else {
                try {
                  JSON.parse(back.body);
                } catch {
                  if (!read.endsWith('.geojson'))
                    failures.push(`${where}: GET ${read} is not JSON`);
                }
              }
            }
          }
        }
      }
      expect(failures).toEqual([]);
      // Most hostile values are refused; some are ordinary text and stored as such.
      expect(refused).toBeGreaterThan(300);
      expect(accepted).toBeGreaterThan(10);
    }, 300_000);
  },
);
