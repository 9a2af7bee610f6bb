import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../server/store/store';
import { PORTAL_BODY_LIMIT } from '../../../server/portal/routes';
import { hiddenFields, registrationFields, startPortalApp, type PortalApp } from './portalSupport';

/**
 * The portal's routes take forms, not JSON, so the API's sweep (test/server/http/
 * hostileInput.test.ts) does not reach them: this is their sweep. Every portal route gets
 * malformed, oversized and hostile input, each value merged into an otherwise valid form with a
 * good token (so it reaches the code behind the checks). Each must answer with a page (never
 * JSON, never a stack trace, never 5xx) and a refusal must store nothing; whatever is shown
 * back is escaped.
 */

/** Every portal route, by method and path: a new one fails the first test until it is swept. */
const SWEPT = [
  'GET /portal/',
  'GET /portal/portal.css',
  'GET /portal/agency.css',
  'GET /portal/cameras/register',
  'POST /portal/cameras/register',
  'GET /portal/cameras/confirm',
  'POST /portal/cameras/confirm',
  'GET /portal/cameras/manage',
  'POST /portal/cameras/manage-link',
  'POST /portal/cameras/manage',
  'POST /portal/cameras/withdraw',
  'GET /portal/addresses',
];

/** Routes that answer JSON to a script (the form's address search), not a page. */
const JSON_ROUTES = new Set(['/portal/addresses']);

const HOSTILE = [
  "' OR '1'='1' --",
  "'; drop table camera_registrations; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  'A'.repeat(5000),
  '🦄'.repeat(300),
  '-1',
  '1e309',
  'NaN',
  '{"$gt": ""}',
  '\r\nBcc: victim@example.org',
];

/** What must not change when the portal refuses something. */
async function snapshot(db: Queryable): Promise<string> {
  const res = await db.query<{ n: string }>(
    `select (select count(*) from camera_registrations)::text || '/' ||
            (select count(*) from mail_outbox)::text || '/' ||
            (select count(*) from cameras)::text || '/' ||
            (select count(*) from registration_links)::text as n`,
  );
  return res.rows[0]!.n;
}

describe('hostile input against every portal route', () => {
  let t: PortalApp;
  const failures: string[] = [];

  beforeAll(async () => {
    t = await startPortalApp('pglite', { portalSubmissionsPerHour: 1_000_000 });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  /** A reply is a page a person can read: no 5xx, no JSON error, no stack, nothing unescaped. */
  function judge(
    where: string,
    res: { statusCode: number; body: string; headers: Record<string, unknown> },
  ) {
    if (res.statusCode >= 500) failures.push(`${where} → ${res.statusCode}`);
    const json = JSON_ROUTES.has(where.split(/[ ?[]/)[1] ?? '');
    if (json && !String(res.headers['content-type']).startsWith('application/json')) {
      failures.push(`${where} → ${res.statusCode} ${String(res.headers['content-type'])}`);
    }
    if (!json && !String(res.headers['content-type']).startsWith('text/')) {
      failures.push(`${where} → ${res.statusCode} ${String(res.headers['content-type'])}`);
    }
    if (/\.ts:\d+|\n\s+at /.test(res.body)) failures.push(`${where}: stack trace`);
    if (res.body.includes('<script>alert(1)</script>') || res.body.includes('<img src=x')) {
      failures.push(`${where}: hostile markup echoed unescaped`);
    }
  }

  it('sweeps every portal route', () => {
    const portal = t.app.routes
      .filter((r) => r.url.startsWith('/portal'))
      .map((r) => `${r.method} ${r.url}`);
    expect(portal.sort()).toEqual([...SWEPT].sort());
    expect(
      t.app.routes.filter((r) => r.url.startsWith('/portal')).every((r) => r.access === 'public'),
    ).toBe(true);
  });

  it('answers hostile queries on every page with a page', async () => {
    const v = t.visitor();
    for (const path of SWEPT.filter((r) => r.startsWith('GET ')).map((r) => r.slice(4))) {
      for (const s of HOSTILE) {
        const res = await v.get(`${path}?token=${encodeURIComponent(s)}`);
        judge(`GET ${path}?token=${s.slice(0, 20)}`, res);
        if (JSON_ROUTES.has(path)) {
          const q = await v.get(`${path}?q=${encodeURIComponent(s)}`);
          judge(`GET ${path}?q=${s.slice(0, 20)}`, q);
          if (q.statusCode >= 400 && typeof JSON.parse(q.body).message !== 'string') {
            failures.push(`GET ${path}?q=${s.slice(0, 20)}: no message`);
          }
        }
      }
      judge(`GET ${path}?token twice`, await v.get(`${path}?token=a&token=b`));
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses malformed bodies on every form with a page, storing nothing', async () => {
    const before = await snapshot(t.store.store);
    const v = t.visitor();
    await v.get('/portal/cameras/register');
    const posts = SWEPT.filter((r) => r.startsWith('POST ')).map((r) => r.slice(5));
    const bodies: { label: string; type: string; payload: string | Buffer; status: number }[] = [
      { label: 'JSON', type: 'application/json', payload: '{"name":"x"}', status: 415 },
      { label: 'XML', type: 'application/xml', payload: '<x/>', status: 415 },
      {
        label: 'multipart',
        type: 'multipart/form-data; boundary=x',
        payload: '--x--',
        status: 415,
      },
      {
        label: 'too large',
        type: 'application/x-www-form-urlencoded',
        payload: `name=${'x'.repeat(PORTAL_BODY_LIMIT + 10)}`,
        status: 413,
      },
      {
        label: 'too many fields',
        type: 'application/x-www-form-urlencoded',
        payload: Array.from({ length: 150 }, (_, i) => `f${i}=1`).join('&'),
        status: 413,
      },
      {
        label: 'repeated field',
        type: 'application/x-www-form-urlencoded',
        payload: 'name=a&name=b',
        status: 400,
      },
      {
        label: 'NUL',
        type: 'application/x-www-form-urlencoded',
        payload: 'name=a%00b',
        status: 400,
      },
      {
        label: 'binary',
        type: 'application/x-www-form-urlencoded',
        payload: Buffer.from([0xff, 0xfe, 0x00, 0x80]),
        status: 400,
      },
    ];
    for (const path of posts) {
      for (const b of bodies) {
        const res = await t.app.api.inject({
          method: 'POST',
          url: path,
          remoteAddress: v.address,
          headers: { 'content-type': b.type },
          payload: b.payload,
        });
        const where = `POST ${path} [${b.label}]`;
        judge(where, res);
        if (res.statusCode !== b.status)
          failures.push(`${where} → ${res.statusCode}, not ${b.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(t.store.store)).toBe(before);
  }, 120_000);

  it('sends hostile values in each field of a valid registration: refused storing nothing, or kept and shown escaped', async () => {
    const v = t.visitor();
    const page = await v.get('/portal/cameras/register');
    const hidden = hiddenFields(page.body, '/portal/cameras/register');
    t.clock.advance(10_000);
    const valid = registrationFields('hostile@example.org');
    let refused = 0;
    let accepted = 0;
    for (const field of Object.keys(valid).filter((f) => f !== 'action')) {
      for (const s of HOSTILE) {
        const before = await snapshot(t.store.store);
        const res = await v.post('/portal/cameras/register', { ...hidden, ...valid, [field]: s });
        const where = `POST register [${field}=${s.slice(0, 20)}]`;
        judge(where, res);
        if (res.statusCode >= 400) {
          refused += 1;
          if ((await snapshot(t.store.store)) !== before)
            failures.push(`${where} refused but stored`);
        } else {
          accepted += 1;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(50);
    // Free text (a name, an address, what a camera covers) may hold anything printable.
    expect(accepted).toBeGreaterThan(5);
    // No header can be smuggled into a message: the address is refused by its schema.
    const bcc = await t.store.store.query<{ n: number }>(
      "select count(*)::int as n from mail_outbox where to_address like '%Bcc%'",
    );
    expect(Number(bcc.rows[0]!.n)).toBe(0);
  }, 240_000);
});
