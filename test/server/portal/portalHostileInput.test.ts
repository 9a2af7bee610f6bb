import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../server/store/store';
import { PORTAL_BODY_LIMIT } from '../../../server/portal/routes';
import { REPORT_BODY_LIMIT } from '../../../server/portal/reportPages';
import { hiddenFields, registrationFields, startPortalApp, type PortalApp } from './portalSupport';
import { addAuthenticator, OwnerVisitor, ownersCamera, signInOwner } from '../owners/ownerSupport';
import { ELIGIBLE, JPEG, multipart, postMultipart, reportFields } from './reportSupport';
import { setAgency } from '../../../server/agency/agencyRepository';
import { importAddresses } from '../../../server/addresses/importAddresses';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { TEST_CITY } from '../../support/testCity';

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
  // Owners of integrated cameras (docs/owners.md).
  'GET /portal/owners/',
  'GET /portal/owners/sign-in',
  'POST /portal/owners/sign-in-link',
  'POST /portal/owners/sign-in',
  'GET /portal/owners/code',
  'POST /portal/owners/code',
  'POST /portal/owners/sign-out',
  'GET /portal/owners/policy',
  'POST /portal/owners/policy',
  'POST /portal/owners/alarm',
  'POST /portal/owners/alarm-end',
  'GET /portal/owners/views',
  'GET /portal/owners/security',
  'POST /portal/owners/authenticator',
  'GET /portal/reports',
  'POST /portal/reports/eligibility',
  'POST /portal/reports/new',
  'GET /portal/reports/status',
  'POST /portal/reports/add-info',
  'GET /portal/transparency',
  'GET /portal/transparency.json',
  'GET /portal/map/leaflet.js',
  'GET /portal/map/leaflet.css',
  'GET /portal/map/registration-map.js',
  'GET /portal/map/area.json',
  'GET /portal/map/streets.json',
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
            (select count(*) from registration_links)::text || '/' ||
            (select count(*) from online_reports)::text || '/' ||
            (select count(*) from online_report_files)::text as n`,
  );
  return res.rows[0]!.n;
}

describe('hostile input against every portal route', () => {
  let t: PortalApp;
  const failures: string[] = [];

  beforeAll(async () => {
    t = await startPortalApp('pglite', { portalSubmissionsPerHour: 1_000_000 });
    // Streets and address points, so the map's routes and the address search answer in full.
    await setAgency(t.store.store, { ...TEST_CITY, demo: true }, new Date(t.clock.now()));
    await importAddresses(
      t.app.ctx,
      {
        format: 'csv',
        content:
          'address,place,kind,lat,lng\n200 W 4th St,,,36.1001,-80.2441\n1 Far Rd,,,36.3,-80.25',
      },
      SYSTEM_ACTOR,
    );
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
    // The address search always answers JSON; the transparency report's JSON, the map's outline
    // and its streets do when they succeed (a refused period, a site without streets get a page).
    const type = String(res.headers['content-type']);
    const json = JSON_ROUTES.has(where.split(/[ ?[]/)[1] ?? '');
    const jsonWhenOk =
      /transparency\.json|area\.json|streets\.json/.test(where) && res.statusCode === 200;
    if (json && !type.startsWith('application/json')) {
      failures.push(`${where} → ${res.statusCode} ${type}`);
    }
    if (
      !json &&
      !(type.startsWith('text/') || (jsonWhenOk && type.startsWith('application/json')))
    ) {
      failures.push(`${where} → ${res.statusCode} ${String(res.headers['content-type'])}`);
    }
    // A stack frame (`at fn (file:line:col)`, `at /path...`), not a sentence that wraps before
    // "at" in a page's markup.
    if (/\.[cm]?[jt]sx?:\d+|\n\s+at (?:\S+ \(|file:|node:|\/)/.test(res.body)) {
      failures.push(`${where}: stack trace`);
    }
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
      for (const s of [...HOSTILE, '2026', '12m&period=2025']) {
        const res = await v.get(`${path}?period=${encodeURIComponent(s)}`);
        judge(`GET ${path}?period=${s.slice(0, 20)}`, res);
      }
      judge(`GET ${path}?period twice`, await v.get(`${path}?period=12m&period=2026`));
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
        // The report's form takes files: every other encoding is refused as such, and a
        // multipart body without the form's token is refused as forged.
        const expected =
          path === '/portal/reports/new'
            ? b.label === 'multipart'
              ? 403
              : b.label === 'JSON' || b.label === 'XML'
                ? 415
                : [413, 415, 400]
            : b.status;
        if (
          Array.isArray(expected) ? !expected.includes(res.statusCode) : res.statusCode !== expected
        )
          failures.push(`${where} → ${res.statusCode}, not ${String(expected)}`);
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
  it("sends hostile values in each field of the owners' forms, signed in: refused changing nothing", async () => {
    const admin = await t.user('admin');
    const owner = 'hostile.owner@example.org';
    const camera = await ownersCamera(t, admin, owner, { name: 'Hostile test camera' });
    const v = new OwnerVisitor(t, '192.0.2.77');
    expect((await signInOwner(t, v, owner)).statusCode).toBe(303);
    const ownerState = async () =>
      JSON.stringify([
        (
          await t.store.store.query('select sharing, alarm_active from cameras where id = $1', [
            camera.id,
          ])
        ).rows,
        (await t.store.store.query('select count(*)::int as n from owner_alarms')).rows,
        (await t.store.store.query('select totp_secret from owner_accounts')).rows,
        await snapshot(t.store.store),
      ]);
    // An owner with an authenticator, whose form removes it.
    const guarded = new OwnerVisitor(t, '192.0.2.79');
    await ownersCamera(t, admin, 'hostile.guarded@example.org', { name: 'Hostile guarded camera' });
    expect((await signInOwner(t, guarded, 'hostile.guarded@example.org')).statusCode).toBe(303);
    await addAuthenticator(t, guarded);
    const forms: {
      by?: OwnerVisitor;
      page: string;
      action: string;
      fields: Record<string, string>;
    }[] = [
      {
        page: `/portal/owners/policy?camera=${camera.id}`,
        action: '/portal/owners/policy',
        fields: {
          camera: camera.id,
          mode: 'schedule',
          windowCount: '1',
          w1_mon: 'yes',
          w1_start: '08:00',
          w1_end: '18:00',
          live: 'yes',
          validFrom: '2026-01-01',
          validUntil: '2026-12-31',
          action: 'save',
        },
      },
      { page: '/portal/owners/', action: '/portal/owners/alarm', fields: { minutes: '30' } },
      {
        page: '/portal/owners/security',
        action: '/portal/owners/authenticator',
        fields: { action: 'confirm', code: '123456' },
      },
      {
        by: guarded,
        page: '/portal/owners/security',
        action: '/portal/owners/authenticator',
        fields: { action: 'remove', code: '123456' },
      },
    ];
    let refused = 0;
    for (const form of forms) {
      const by = form.by ?? v;
      const page = await by.get(form.page);
      expect(page.statusCode, form.page).toBe(200);
      const hidden = hiddenFields(page.body, form.action);
      t.clock.advance(10_000);
      for (const field of Object.keys(form.fields)) {
        for (const s of HOSTILE) {
          const before = await ownerState();
          const res = await by.post(form.action, { ...hidden, ...form.fields, [field]: s });
          const where = `POST ${form.action} [${field}=${s.slice(0, 20)}]`;
          judge(where, res);
          if (res.statusCode >= 400) {
            refused += 1;
            if ((await ownerState()) !== before) failures.push(`${where} refused but changed`);
          }
        }
      }
    }
    // The sign-in forms, without a session: hostile addresses, codes and tokens.
    const w = new OwnerVisitor(t, '192.0.2.78');
    const ask = hiddenFields(
      (await w.get('/portal/owners/sign-in')).body,
      '/portal/owners/sign-in-link',
    );
    t.clock.advance(10_000);
    for (const s of HOSTILE) {
      const before = await ownerState();
      for (const [action, fields] of [
        ['/portal/owners/sign-in-link', { ...ask, email: s, website: '' }],
        ['/portal/owners/sign-in', { ...ask, token: s }],
        ['/portal/owners/code', { ...ask, code: s }],
      ] as const) {
        const res = await w.post(action, fields);
        judge(`POST ${action} [${s.slice(0, 20)}]`, res);
      }
      if ((await ownerState()) !== before)
        failures.push(`sign-in forms [${s.slice(0, 20)}] changed`);
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(60);
  }, 240_000);

  it('refuses malformed multipart bodies on the report form with a page, storing nothing', async () => {
    const before = await snapshot(t.store.store);
    const v = t.visitor();
    await v.get('/portal/reports');
    const cases: { label: string; type: string; payload: Buffer | string; status: number[] }[] = [
      { label: 'no boundary', type: 'multipart/form-data', payload: 'x', status: [400] },
      {
        label: 'broken parts',
        type: 'multipart/form-data; boundary=zz',
        payload: '--zz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--zz',
        status: [400],
      },
      {
        label: 'too large',
        type: 'multipart/form-data; boundary=zz',
        payload: Buffer.alloc(REPORT_BODY_LIMIT + 10, 0x61),
        status: [413],
      },
    ];
    const fileInText = await multipart({ name: 'x' });
    const wrongField = fileInText.body
      .toString('latin1')
      .replace('name="files"; filename=""', 'name="narrative"; filename="a.txt"');
    cases.push({
      label: 'file in a text field',
      type: fileInText.contentType,
      payload: Buffer.from(wrongField, 'latin1'),
      status: [400, 403],
    });
    for (const c of cases) {
      const res = await t.app.api.inject({
        method: 'POST',
        url: '/portal/reports/new',
        remoteAddress: v.address,
        headers: { 'content-type': c.type, ...(v.cookieHeader ? { cookie: v.cookieHeader } : {}) },
        payload: c.payload,
      });
      const where = `POST /portal/reports/new [${c.label}]`;
      judge(where, res);
      if (!c.status.includes(res.statusCode)) failures.push(`${where} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(t.store.store)).toBe(before);
  }, 120_000);

  it('sends hostile values in each field of the eligibility questions and of a valid report', async () => {
    const v = t.visitor();
    for (const field of Object.keys(ELIGIBLE)) {
      for (const s of HOSTILE.slice(0, 6)) {
        const before = await snapshot(t.store.store);
        const res = await v.fill('/portal/reports', '/portal/reports/eligibility', {
          ...ELIGIBLE,
          [field]: s,
        });
        const where = `POST eligibility [${field}=${s.slice(0, 20)}]`;
        judge(where, res);
        if (res.body.includes('action="/portal/reports/new"'))
          failures.push(`${where} opened the form`);
        if ((await snapshot(t.store.store)) !== before) failures.push(`${where} stored`);
      }
    }
    const form = await v.fill('/portal/reports', '/portal/reports/eligibility', ELIGIBLE);
    const hidden = hiddenFields(form.body, '/portal/reports/new');
    t.clock.advance(10_000);
    const valid = reportFields('hostile.report@example.org');
    let refused = 0;
    let accepted = 0;
    for (const field of Object.keys(valid)) {
      for (const s of HOSTILE) {
        // Each post is a new form (a post of the same form twice is the same report).
        const fresh = hiddenFields(
          (await v.fill('/portal/reports', '/portal/reports/eligibility', ELIGIBLE, { waitMs: 0 }))
            .body,
          '/portal/reports/new',
        );
        t.clock.advance(10_000);
        const before = await snapshot(t.store.store);
        const res = await postMultipart(
          t,
          v,
          '/portal/reports/new',
          { ...fresh, ...valid, [field]: s },
          field === 'narrative' ? [JPEG] : [],
        );
        const where = `POST report [${field}=${s.slice(0, 20)}]`;
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
    // An address alone is looked up in the address points: a hostile one names none (or is
    // outside the city) and the form comes back, storing nothing.
    for (const s of [...HOSTILE, '1 Far Rd', '2%0 W 4th St', '_00 W 4th St']) {
      const fresh = hiddenFields(
        (await v.fill('/portal/reports', '/portal/reports/eligibility', ELIGIBLE, { waitMs: 0 }))
          .body,
        '/portal/reports/new',
      );
      t.clock.advance(10_000);
      const before = await snapshot(t.store.store);
      const res = await postMultipart(t, v, '/portal/reports/new', {
        ...fresh,
        ...valid,
        lat: '',
        lng: '',
        address: s,
      });
      const where = `POST report [address alone=${s.slice(0, 20)}]`;
      judge(where, res);
      if (res.statusCode !== 400) failures.push(`${where} → ${res.statusCode}`);
      if (!res.body.includes('id="address-error"')) failures.push(`${where}: no address message`);
      if ((await snapshot(t.store.store)) !== before) failures.push(`${where} refused but stored`);
    }
    expect(hidden.formToken).toBeDefined();
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(50);
    expect(accepted).toBeGreaterThan(5);
    const bcc = await t.store.store.query<{ n: number }>(
      "select count(*)::int as n from mail_outbox where to_address like '%Bcc%' or subject like '%Bcc%'",
    );
    expect(Number(bcc.rows[0]!.n)).toBe(0);
  }, 400_000);

  it('answers hostile text on the add-information form with a page', async () => {
    const v = t.visitor();
    const before = await snapshot(t.store.store);
    await v.get(`/portal/reports/status?token=${'A'.repeat(43)}`);
    for (const s of HOSTILE) {
      const res = await v.post('/portal/reports/add-info', { formToken: '1.x', token: s, text: s });
      judge(`POST add-info [${s.slice(0, 20)}]`, res);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(t.store.store)).toBe(before);
  });
});
