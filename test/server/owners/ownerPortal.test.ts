import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import type { TestUser } from '../../support/testApp';
import { TEST_CITY } from '../../support/testCity';
import { setAgency } from '../../../server/agency/agencyRepository';
import { listEventsAfter } from '../../../server/events/eventHub';
import {
  LINK_MINUTES,
  SESSION_IDLE_MINUTES,
  SESSION_MAX_HOURS,
  expireOwnerAlarms,
} from '../../../server/owners/ownerChanges';
import { hiddenFields, startPortalApp, type PortalApp } from '../portal/portalSupport';
import type { Alert } from '../../../shared/domain/alerts';
import type { Camera } from '../../../shared/domain/cameras';
import type { ServerEvent } from '../../../shared/api/events';
import type { StreamGrant } from '../../../shared/api/cameras';
import { freshen } from '../cameras/cameraFixtures';
import { runStoreCommand, STORE_COMMANDS } from '../../../server/cli/storeCommands';
import { EVENT_CATALOG } from '../../../shared/api/eventCatalog';
import {
  addAuthenticator,
  codeAt,
  notACode,
  ownerLinkIn,
  ownersCamera,
  OwnerVisitor,
  signInOwner,
} from './ownerSupport';

/**
 * Owners of integrated cameras on the portal (docs/owners.md): sign-in by emailed link and an
 * optional authenticator code, their cameras and policies, a change that stops a running view
 * with the owner's reason, the alarm, and who viewed their cameras.
 */

/** Wednesday 4 March 2026, 10:00 in New York (the test city's zone). */
const WED_10_00 = Date.parse('2026-03-04T15:00:00Z');
const DAY = 24 * 3_600_000;
const REASON = { code: 'active_incident', reference: 'INC-2026-0042' } as const;
const MINUTE = 60_000;

describe.each(STORE_KINDS)('owners on the portal on %s', (kind) => {
  let t: PortalApp;
  let admin: TestUser;
  let analyst: TestUser;
  let front: Camera;
  let owner: string;
  let week = 0;
  let n = 0;
  /** The last audit row before the test: what a test finds in the trail is its own. */
  let auditMark = 0;

  const visitor = () => new OwnerVisitor(t, `198.51.100.${++n}`);

  /** Signs the staff in again at the clock's time (their sessions idle out as the clock moves). */
  async function freshStaff() {
    admin = await freshen(t, admin);
    analyst = await freshen(t, analyst);
  }

  const view = (cameraId: string) =>
    t.as(analyst, 'POST', `/v1/cameras/${cameraId}/grants`, { reason: REASON, access: 'live' });

  async function eventsAfter(id: number): Promise<ServerEvent[]> {
    return listEventsAfter(t.store.store, id, 10_000);
  }
  async function lastEventId(): Promise<number> {
    const all = await listEventsAfter(t.store.store, 0, 100_000);
    return all.length === 0 ? 0 : Number(all[all.length - 1]!.id);
  }

  const ownersSessions = (where = 'true') =>
    t.count(
      'owner_sessions',
      `account_id in (select id from owner_accounts where email = '${owner}') and ${where}`,
    );
  const auditCount = (action: string) =>
    t.count('audit_log', `action = '${action}' and id > ${auditMark}`);

  beforeAll(async () => {
    t = await startPortalApp(kind, { portalSubmissionsPerHour: 1000 });
    t.clock.set(WED_10_00);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
  }, 240_000);
  afterAll(async () => {
    await t.close();
  });
  // Each test is a Wednesday 10:00 a week after the last, with an owner and a camera of its own.
  beforeEach(async () => {
    week += 1;
    t.clock.set(WED_10_00 + week * 7 * DAY);
    await freshStaff();
    owner = `owner${week}@example.org`;
    front = await ownersCamera(t, admin, owner, { name: `Front door ${week}` });
    auditMark = Number(
      (await t.store.store.query<{ id: number }>('select max(id) as id from audit_log')).rows[0]!
        .id,
    );
  });

  it('emails a link only to an address that owns cameras, answering both the same', async () => {
    const v = visitor();
    const asked = await v.fill('/portal/owners/sign-in', '/portal/owners/sign-in-link', {
      email: owner.toUpperCase(),
      website: '',
    });
    const stranger = await v.fill('/portal/owners/sign-in', '/portal/owners/sign-in-link', {
      email: 'nobody@example.org',
      website: '',
    });
    expect(asked.statusCode).toBe(200);
    expect(stranger.statusCode).toBe(200);
    expect(stranger.body).toBe(asked.body);
    expect(asked.body).toContain('Check your email');
    const mail = await t.mail.next(owner);
    expect(mail.text).toContain(`within ${LINK_MINUTES} minutes`);
    expect(await t.count('mail_outbox', "to_address = 'nobody@example.org'")).toBe(0);
    expect(await t.count('mail_outbox', `to_address = '${owner}'`)).toBe(1);
    // Only the token's hash is kept.
    const token = /token=([A-Za-z0-9_-]{43})/.exec(ownerLinkIn(mail))![1]!;
    const kept = await t.store.store.query<{ token_hash: string }>(
      'select token_hash from owner_links where email = $1',
      [owner],
    );
    expect(kept.rows.map((r) => r.token_hash)).toEqual([
      createHash('sha256').update(token).digest('hex'),
    ]);
    // A bad address comes back with the message tied to its field; nothing is sent.
    const bad = await v.fill('/portal/owners/sign-in', '/portal/owners/sign-in-link', {
      email: 'not an address',
      website: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/aria-invalid="true" aria-describedby="email-error"/);
    expect(await t.count('owner_links', `email = '${owner}'`)).toBe(1);
  });

  it('signs in only by the button, once, within the link’s minutes, with a safe cookie', async () => {
    const v = visitor();
    await v.fill('/portal/owners/sign-in', '/portal/owners/sign-in-link', {
      email: owner,
      website: '',
    });
    const link = ownerLinkIn(await t.mail.next(owner));
    // Opening the link (as a mail scanner does) changes nothing.
    const page = await v.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<button[^>]*>\s*Sign in\s*<\/button>/);
    expect(await ownersSessions()).toBe(0);
    expect(await t.count('owner_links', `email = '${owner}' and used_at is null`)).toBe(1);

    const fields = hiddenFields(page.body, '/portal/owners/sign-in');
    const signed = await v.post('/portal/owners/sign-in', fields);
    expect(signed.statusCode).toBe(303);
    expect(signed.headers.location).toBe('/portal/owners/');
    const cookie = [signed.headers['set-cookie']].flat().find((c) => c?.startsWith('wf_owner='))!;
    expect(cookie).toMatch(
      new RegExp(
        `^wf_owner=[A-Za-z0-9_-]{43}; Path=/portal/owners; Max-Age=${SESSION_MAX_HOURS * 3600}; HttpOnly; SameSite=Lax$`,
      ),
    );
    expect((await v.get('/portal/owners/')).statusCode).toBe(200);
    // The session is kept as its token's hash, never the token.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const hash = createHash('sha256').update(token).digest('hex');
    expect(await ownersSessions(`token_hash = '${hash}'`)).toBe(1);

    // Used once: the same button again is refused and starts nothing.
    const again = await visitor().post('/portal/owners/sign-in', fields);
    expect(again.statusCode).toBe(403); // another browser: not its form
    const replay = await v.post('/portal/owners/sign-in', fields);
    expect(replay.statusCode).toBe(404);
    expect(replay.body).toContain('This sign-in link has expired or has already been used.');
    expect(await ownersSessions()).toBe(1);

    // Expired: a link older than its minutes neither opens nor signs in.
    const w = visitor();
    await w.fill('/portal/owners/sign-in', '/portal/owners/sign-in-link', {
      email: owner,
      website: '',
    });
    const late = ownerLinkIn(await t.mail.next(owner, (await t.mail.next(owner)).n));
    const latePage = await w.get(late);
    t.clock.advance(LINK_MINUTES * MINUTE + 1);
    expect((await w.get(late)).statusCode).toBe(404);
    const lateSign = await w.post(
      '/portal/owners/sign-in',
      hiddenFields(latePage.body, '/portal/owners/sign-in'),
    );
    expect(lateSign.statusCode).toBe(404);
    expect(await ownersSessions()).toBe(1);
  });

  it('ends a session when idle, at its absolute end, and on sign-out', async () => {
    const v = visitor();
    expect((await signInOwner(t, v, owner)).statusCode).toBe(303);
    t.clock.advance((SESSION_IDLE_MINUTES - 1) * MINUTE);
    expect((await v.get('/portal/owners/')).statusCode).toBe(200);
    t.clock.advance(SESSION_IDLE_MINUTES * MINUTE + 1);
    const idle = await v.get('/portal/owners/');
    expect(idle.statusCode).toBe(303);
    expect(idle.headers.location).toBe('/portal/owners/sign-in');

    const w = visitor();
    await signInOwner(t, w, owner);
    const started = t.clock.now();
    while (t.clock.now() + 20 * MINUTE < started + SESSION_MAX_HOURS * 3_600_000) {
      t.clock.advance(20 * MINUTE);
      expect((await w.get('/portal/owners/')).statusCode).toBe(200);
    }
    t.clock.set(started + SESSION_MAX_HOURS * 3_600_000);
    expect((await w.get('/portal/owners/')).statusCode).toBe(303);

    const x = visitor();
    await signInOwner(t, x, owner);
    const home = await x.get('/portal/owners/');
    t.clock.advance(1000);
    const out = await x.post(
      '/portal/owners/sign-out',
      hiddenFields(home.body, '/portal/owners/sign-out'),
    );
    expect(out.statusCode).toBe(200);
    expect([out.headers['set-cookie']].flat().join('\n')).toContain(
      'wf_owner=; Path=/portal/owners; Max-Age=0',
    );
    expect(await ownersSessions('ended_at is not null')).toBe(3);
    const actions = await t.store.store.query<{ action: string }>(
      `select action from audit_log where action like 'owner.%' and id > ${auditMark} order by id`,
    );
    expect(actions.rows.map((r) => r.action)).toEqual([
      'owner.link',
      'owner.sign_in',
      'owner.link',
      'owner.sign_in',
      'owner.link',
      'owner.sign_in',
      'owner.sign_out',
    ]);
  });

  it('adds an authenticator, then asks for its code at sign-in; wrong codes end the sign-in', async () => {
    const v = visitor();
    await signInOwner(t, v, owner);
    const security = await v.get('/portal/owners/security');
    const started = await v.post(
      '/portal/owners/authenticator',
      hiddenFields(security.body, '/portal/owners/authenticator'),
    );
    expect(started.statusCode).toBe(200);
    expect(started.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(started.body)![1]!;
    const confirm = hiddenFields(started.body, '/portal/owners/authenticator');
    const wrong = await v.post('/portal/owners/authenticator', { ...confirm, code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/aria-invalid="true" aria-describedby="code-error"/);
    const ok = await v.post('/portal/owners/authenticator', {
      ...confirm,
      code: await codeAt(t, secret),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('The authenticator app is added.');

    // The next sign-in waits for the code: nothing else opens before it.
    t.clock.advance(MINUTE);
    const w = visitor();
    const signed = await signInOwner(t, w, owner);
    expect(signed.headers.location).toBe('/portal/owners/code');
    expect((await w.get('/portal/owners/')).headers.location).toBe('/portal/owners/code');
    expect((await w.get('/portal/owners/views')).statusCode).toBe(303);
    const codePage = await w.get('/portal/owners/code');
    const fields = hiddenFields(codePage.body, '/portal/owners/code');
    const bad = await w.post('/portal/owners/code', { ...fields, code: '123456' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/aria-describedby="code-error"/);
    const used = await codeAt(t, secret);
    const good = await w.post('/portal/owners/code', { ...fields, code: used });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/portal/owners/');
    expect((await w.get('/portal/owners/')).statusCode).toBe(200);
    // The same code is never accepted twice.
    const x = visitor();
    await signInOwner(t, x, owner);
    const xFields = hiddenFields((await x.get('/portal/owners/code')).body, '/portal/owners/code');
    expect((await x.post('/portal/owners/code', { ...xFields, code: used })).statusCode).toBe(400);

    // Five wrong codes end that sign-in.
    for (let i = 0; i < 3; i++) {
      expect((await x.post('/portal/owners/code', { ...xFields, code: '000001' })).statusCode).toBe(
        400,
      );
    }
    const ended = await x.post('/portal/owners/code', { ...xFields, code: '000002' });
    expect(ended.statusCode).toBe(401);
    expect(ended.body).toContain('Too many wrong codes');
    t.clock.advance(MINUTE);
    expect(
      (await x.post('/portal/owners/code', { ...xFields, code: await codeAt(t, secret) })).headers
        .location,
    ).toBe('/portal/owners/sign-in');
  });

  it('removes the authenticator only with a code it shows now; sign-in then asks for none', async () => {
    const v = visitor();
    await signInOwner(t, v, owner);
    const secret = await addAuthenticator(t, v);
    const addedWith = await codeAt(t, secret);
    // Another sign-in is waiting for its code when the app goes.
    const waiting = visitor();
    expect((await signInOwner(t, waiting, owner)).headers.location).toBe('/portal/owners/code');
    const hasApp = () =>
      t.count('owner_accounts', `email = '${owner}' and totp_secret is not null`);

    const security = await v.get('/portal/owners/security');
    expect(security.body).toMatch(/<button[^>]*class="danger"[^>]*>\s*Remove the app\s*<\/button>/);
    const form = hiddenFields(security.body, '/portal/owners/authenticator');
    expect(form.action).toBe('remove');

    // Another browser's post, or one without the form's token, is refused.
    const forged = await visitor().post('/portal/owners/authenticator', {
      ...form,
      code: await codeAt(t, secret),
    });
    expect(forged.statusCode).toBe(403);
    const { formToken: _token, ...untokened } = form;
    const noToken = await v.post('/portal/owners/authenticator', {
      ...untokened,
      code: await codeAt(t, secret),
    });
    expect(noToken.statusCode).toBe(403);
    // No code, a wrong one, and the code that added the app (used already): refused by the field.
    const empty = await v.post('/portal/owners/authenticator', { ...form, code: 'abc' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/aria-invalid="true" aria-describedby="code-error"/);
    const wrong = await v.post('/portal/owners/authenticator', {
      ...form,
      code: await notACode(t, secret),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code is not right');
    const reused = await v.post('/portal/owners/authenticator', { ...form, code: addedWith });
    expect(reused.statusCode).toBe(400);
    expect(await hasApp()).toBe(1);
    expect(await auditCount('owner.totp.remove')).toBe(2);
    expect(
      await t.count('mail_outbox', `to_address = '${owner}' and kind = 'owner.totp.removed'`),
    ).toBe(0);

    t.clock.advance(30_000);
    const since = t.mail.messages[t.mail.messages.length - 1]!.n;
    const removed = await v.post('/portal/owners/authenticator', {
      ...form,
      code: await codeAt(t, secret),
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.body).toContain('The authenticator app is removed.');
    expect(removed.body).toContain('Add an authenticator app');
    expect(await hasApp()).toBe(0);
    expect(
      await t.count('owner_accounts', `email = '${owner}' and totp_pending_secret is null`),
    ).toBe(1);
    const audit = await t.store.store.query<{ actor_id: string; outcome: string; details: object }>(
      `select actor_id, outcome, details from audit_log
       where action = 'owner.totp.remove' and id > ${auditMark} order by id`,
    );
    expect(audit.rows.map((r) => [r.outcome, r.details])).toEqual([
      ['failure', { reason: 'wrong_code' }],
      ['failure', { reason: 'wrong_code' }],
      ['success', { sessionsAwaitingCodeEnded: 1 }],
    ]);
    expect(audit.rows[2]!.actor_id).toMatch(/^owner:/);
    // The owner hears of it by email, through the outbox.
    const mail = await t.mail.next(owner, since);
    expect(mail.subject).toContain('authenticator app was removed');
    expect(mail.text).toMatch(
      /On Wed \d{1,2} [A-Z][a-z]{2} 2026 1[01]:0\d, the authenticator app was removed/,
    );
    expect(mail.text).toContain('https://portal.test-city.example/portal/owners/sign-in');
    // The sign-in that was waiting for a code has ended; the owner's own session goes on.
    expect((await waiting.get('/portal/owners/code')).headers.location).toBe(
      '/portal/owners/sign-in',
    );
    expect((await v.get('/portal/owners/')).statusCode).toBe(200);

    // The next sign-in asks for no code.
    const next = visitor();
    const signed = await signInOwner(t, next, owner);
    expect(signed.headers.location).toBe('/portal/owners/');
    expect((await next.get('/portal/owners/views')).statusCode).toBe(200);
    // Nothing left to remove: refused, and nothing more is sent.
    const again = await v.post('/portal/owners/authenticator', {
      ...hiddenFields(removed.body, '/portal/owners/authenticator'),
      action: 'remove',
      code: await codeAt(t, secret),
    });
    expect(again.statusCode).toBe(409);
    expect(
      await t.count('mail_outbox', `to_address = '${owner}' and kind = 'owner.totp.removed'`),
    ).toBe(1);
  });

  it('an administrator clears the app of an owner who lost it: sessions end, the owner is emailed, sign-in asks no code', async () => {
    const v = visitor();
    await signInOwner(t, v, owner);
    await addAuthenticator(t, v);
    const waiting = visitor();
    expect((await signInOwner(t, waiting, owner)).headers.location).toBe('/portal/owners/code');
    const since = t.mail.messages[t.mail.messages.length - 1]!.n;
    const printed: string[] = [];
    const io = { out: (l: string) => printed.push(l), err: (l: string) => printed.push(l) };
    const actor = { id: null, name: 'cli:root' };

    const cleared = await runStoreCommand(
      t.app.ctx,
      STORE_COMMANDS,
      'owner.reset-totp',
      { email: owner.toUpperCase() },
      io,
      actor,
    );
    expect(cleared.code).toBe(0);
    expect(printed.join('\n')).toMatch(/authenticator cleared .*; 2 session\(s\) ended/);
    expect(printed.join('\n')).not.toContain(owner);
    expect(await t.count('owner_accounts', `email = '${owner}' and totp_secret is not null`)).toBe(
      0,
    );
    // Both sessions ended: the one signed in and the one waiting for its code.
    expect((await v.get('/portal/owners/')).headers.location).toBe('/portal/owners/sign-in');
    expect((await waiting.get('/portal/owners/code')).headers.location).toBe(
      '/portal/owners/sign-in',
    );
    const mail = await t.mail.next(owner, since);
    expect(mail.subject).toContain('authenticator app was removed');
    const audit = await t.store.store.query<{ actor_name: string; details: object }>(
      `select actor_name, details from audit_log where action = 'owner.totp.clear' order by id`,
    );
    expect(audit.rows.at(-1)).toEqual({ actor_name: 'cli:root', details: { sessionsEnded: 2 } });
    // The next sign-in asks for no code.
    expect((await signInOwner(t, visitor(), owner)).headers.location).toBe('/portal/owners/');

    // Nothing to clear, or nobody of that address: refused, nothing sent.
    await expect(
      runStoreCommand(t.app.ctx, STORE_COMMANDS, 'owner.reset-totp', { email: owner }, io, actor),
    ).rejects.toThrow('no authenticator app');
    await expect(
      runStoreCommand(
        t.app.ctx,
        STORE_COMMANDS,
        'owner.reset-totp',
        { email: 'nobody@example.test' },
        io,
        actor,
      ),
    ).rejects.toThrow('No camera owner');
    expect(
      await t.count('mail_outbox', `to_address = '${owner}' and kind = 'owner.totp.removed'`),
    ).toBe(1);
  });

  it('wrong codes to remove the authenticator end the session after five; the app stays', async () => {
    const v = visitor();
    await signInOwner(t, v, owner);
    const secret = await addAuthenticator(t, v);
    t.clock.advance(MINUTE);
    const w = visitor();
    await signInOwner(t, w, owner);
    const codeForm = hiddenFields((await w.get('/portal/owners/code')).body, '/portal/owners/code');
    const good = await w.post('/portal/owners/code', {
      ...codeForm,
      code: await codeAt(t, secret),
    });
    expect(good.headers.location).toBe('/portal/owners/');
    const form = hiddenFields(
      (await w.get('/portal/owners/security')).body,
      '/portal/owners/authenticator',
    );
    const wrong = await notACode(t, secret);
    for (let i = 0; i < 4; i++) {
      const res = await w.post('/portal/owners/authenticator', { ...form, code: wrong });
      expect(res.statusCode).toBe(400);
    }
    const ended = await w.post('/portal/owners/authenticator', { ...form, code: wrong });
    expect(ended.statusCode).toBe(401);
    expect(ended.body).toContain('Too many wrong codes');
    expect(w.cookies.has('wf_owner')).toBe(false);
    expect(await t.count('owner_accounts', `email = '${owner}' and totp_secret is not null`)).toBe(
      1,
    );
    const last = await t.store.store.query<{ details: object }>(
      `select details from audit_log where action = 'owner.totp.remove' and id > ${auditMark}
       order by id desc limit 1`,
    );
    expect(last.rows[0]!.details).toEqual({ reason: 'wrong_code', sessionEnded: true });
    expect(await auditCount('owner.totp.remove')).toBe(5);
    // The other session, which sent none of them, still has its app on the security page.
    expect((await v.get('/portal/owners/security')).body).toContain('Remove the app');
  });

  it('lists only the owner’s integrated cameras; a camera the agency keeps is read-only', async () => {
    const kept = await ownersCamera(t, admin, owner, { name: 'Loading dock', keeper: 'agency' });
    const neighbour = await ownersCamera(t, admin, 'someone.else@example.org', {
      name: 'Neighbour garage',
    });
    const v = visitor();
    await signInOwner(t, v, owner);
    const home = await v.get('/portal/owners/');
    expect(home.body).toContain('Front door');
    expect(home.body).toContain('Loading dock');
    expect(home.body).not.toContain('Neighbour garage');
    expect(home.body).toContain(`/portal/owners/policy?camera=${front.id}`);
    expect(home.body).not.toContain(`/portal/owners/policy?camera=${kept.id}`);
    expect(home.body).toContain('keeps this camera’s policy on your behalf');
    expect((await v.get(`/portal/owners/policy?camera=${kept.id}`)).statusCode).toBe(409);
    // Posting to it anyway changes nothing.
    const form = await v.get(`/portal/owners/policy?camera=${front.id}`);
    t.clock.advance(5000);
    const refused = await v.post('/portal/owners/policy', {
      ...hiddenFields(form.body, '/portal/owners/policy'),
      camera: kept.id,
      mode: 'always',
      withdrawn: 'yes',
    });
    expect(refused.statusCode).toBe(409);
    const other = await v.post('/portal/owners/policy', {
      ...hiddenFields(form.body, '/portal/owners/policy'),
      camera: neighbour.id,
      mode: 'always',
      withdrawn: 'yes',
    });
    expect(other.statusCode).toBe(404);
    expect(await auditCount('owner.policy.update')).toBe(0);
  });

  it('a narrower policy stops a running view at once with the owner’s reason on the tile', async () => {
    const grant = (await view(front.id)).json() as StreamGrant;
    const before = await lastEventId();
    const v = visitor();
    await signInOwner(t, v, owner);
    // Weekends only: a Wednesday view is no longer allowed.
    const form = await v.get(`/portal/owners/policy?camera=${front.id}`);
    const added = await v.post('/portal/owners/policy', {
      ...hiddenFields(form.body, '/portal/owners/policy'),
      mode: 'schedule',
      live: 'yes',
      action: 'add',
    });
    expect(added.body).toContain('Window 1');
    t.clock.advance(5000);
    const saved = await v.post('/portal/owners/policy', {
      ...hiddenFields(added.body, '/portal/owners/policy'),
      mode: 'schedule',
      live: 'yes',
      w1_sat: 'yes',
      w1_sun: 'yes',
      w1_start: '09:00',
      w1_end: '17:00',
      action: 'save',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).toContain('a view it no longer allows stopped');

    const events = await eventsAfter(before);
    const revoked = events.filter((e) => e.type === 'grant.revoked');
    expect(revoked.map((e) => e.payload)).toEqual([
      {
        grantId: grant.grantId,
        cameraId: front.id,
        userId: analyst.id,
        reason: expect.stringMatching(/Sat, Sun 09:00.17:00/),
      },
    ]);
    expect(events.find((e) => e.type === 'camera.updated')?.payload).toMatchObject({
      camera: { id: front.id, sharing: { mode: 'schedule' } },
      changed: ['sharing'],
    });
    const audit = await t.store.store.query<{
      actor_id: string;
      target_id: string;
      details: {
        diff: { sharing: { before: { mode: string }; after: { mode: string } } };
        revokedGrants: string[];
      };
    }>(
      `select actor_id, target_id, details from audit_log
       where action = 'owner.policy.update' and id > ${auditMark}`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.actor_id).toMatch(/^owner:/);
    expect(audit.rows[0]!.target_id).toBe(front.id);
    expect(audit.rows[0]!.details.diff.sharing.before.mode).toBe('always');
    expect(audit.rows[0]!.details.diff.sharing.after.mode).toBe('schedule');
    expect(audit.rows[0]!.details.revokedGrants).toEqual([grant.grantId]);
    // The analyst's next ask is refused with the same words.
    const refused = await view(front.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe(revoked[0]!.payload.reason);

    // Stopping all sharing: "Owner withdrew sharing." as for a withdrawal.
    const open = await v.get(`/portal/owners/policy?camera=${front.id}`);
    t.clock.advance(5000);
    // Back to always, the weekend window removed.
    const reopened = await v.post('/portal/owners/policy', {
      ...hiddenFields(open.body, '/portal/owners/policy'),
      windowCount: '0',
      mode: 'always',
      live: 'yes',
    });
    expect(reopened.statusCode).toBe(200);
    await freshStaff();
    const second = (await view(front.id)).json() as StreamGrant;
    const mark = await lastEventId();
    const again = await v.get(`/portal/owners/policy?camera=${front.id}`);
    t.clock.advance(5000);
    const withdrawn = await v.post('/portal/owners/policy', {
      ...hiddenFields(again.body, '/portal/owners/policy'),
      mode: 'always',
      live: 'yes',
      withdrawn: 'yes',
    });
    expect(withdrawn.statusCode).toBe(200);
    const stop = (await eventsAfter(mark)).filter((e) => e.type === 'grant.revoked');
    expect(stop.map((e) => e.payload)).toEqual([
      {
        grantId: second.grantId,
        cameraId: front.id,
        userId: analyst.id,
        reason: 'Owner withdrew sharing.',
      },
    ]);
  });

  it('refuses a policy it cannot enforce with a message by the field, changing nothing', async () => {
    const v = visitor();
    await signInOwner(t, v, owner);
    const form = await v.get(`/portal/owners/policy?camera=${front.id}`);
    t.clock.advance(5000);
    const fields = hiddenFields(form.body, '/portal/owners/policy');
    const noWindow = await v.post('/portal/owners/policy', {
      ...fields,
      mode: 'schedule',
      live: 'yes',
    });
    expect(noWindow.statusCode).toBe(400);
    expect(noWindow.body).toContain('Add at least one weekly window');
    const badTime = await v.post('/portal/owners/policy', {
      ...fields,
      windowCount: '1',
      mode: 'schedule',
      live: 'yes',
      w1_mon: 'yes',
      w1_start: '25:00',
      w1_end: '18:00',
    });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.body).toMatch(/id="w1_start-error">Error: A time of day is HH:MM/);
    expect(badTime.body).toMatch(/aria-invalid="true" aria-describedby="w1_start-error"/);
    const dates = await v.post('/portal/owners/policy', {
      ...fields,
      mode: 'always',
      live: 'yes',
      validFrom: '2026-05-01',
      validUntil: '2026-04-01',
    });
    expect(dates.statusCode).toBe(400);
    expect(dates.body).toContain('id="validUntil-error"');
    const noMode = await v.post('/portal/owners/policy', { ...fields, live: 'yes' });
    expect(noMode.statusCode).toBe(400);
    expect(noMode.body).toContain('Choose when to share');
    const camera = (await t.as(admin, 'GET', `/v1/cameras/${front.id}`)).json();
    expect(camera.sharing.mode).toBe('always');
    expect(await auditCount('owner.policy.update')).toBe(0);
  });

  it('an alarm shares everything, alerts the center urgently at the camera, and ends on time', async () => {
    const shut = await ownersCamera(t, admin, owner, {
      name: 'Back yard',
      sharing: { mode: 'schedule', windows: [{ days: ['sun'], start: '03:00', end: '03:01' }] },
      lat: 36.0991,
      lng: -80.2449,
    });
    expect((await view(shut.id)).statusCode).toBe(403);
    const v = visitor();
    await signInOwner(t, v, owner);
    const home = await v.get('/portal/owners/');
    const before = await lastEventId();
    const raised = await v.post('/portal/owners/alarm', {
      ...hiddenFields(home.body, '/portal/owners/alarm'),
      minutes: '15',
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.body).toContain('Your alarm is raised');

    const events = await eventsAfter(before);
    const alert = events.find((e) => e.type === 'alert.raised')!.payload.alert;
    expect(alert).toMatchObject({
      kind: 'cap',
      urgent: true,
      severity: 'extreme',
      outsideJurisdiction: false,
      // The first of the owner's cameras by name: "Back yard".
      position: { lat: 36.0991, lon: -80.2449 },
      source: { integrationId: 'portal-owner-alarms' },
    });
    expect(events.filter((e) => e.type === 'camera.alarm').map((e) => e.payload.active)).toEqual([
      true,
      true,
    ]);
    // The console hears of it as urgent.
    const def = EVENT_CATALOG['alert.raised'];
    expect(def.priorityFor!({ alert } as never)).toBe('urgent');

    // Now the closed camera can be viewed, recordings too.
    t.clock.advance(10 * MINUTE);
    await freshStaff();
    const during = await view(shut.id);
    expect(during.statusCode, during.body).toBe(200);
    const grant = during.json() as StreamGrant;
    const during3 = (await t.as(admin, 'GET', `/v1/cameras/${shut.id}`)).json();
    expect(during3).toMatchObject({
      alarmActive: true,
      sharing: { mode: 'always', live: true, recordings: true, ptz: true, withdrawn: false },
    });

    // Not yet: nothing expires before its time.
    t.clock.advance(5 * MINUTE - 1);
    await freshStaff();
    expect(await expireOwnerAlarms(t.app.ctx)).toBe(0);
    const mark = await lastEventId();
    t.clock.advance(1);
    expect(await expireOwnerAlarms(t.app.ctx)).toBe(1);
    const after = await eventsAfter(mark);
    expect(after.filter((e) => e.type === 'grant.revoked').map((e) => e.payload)).toEqual([
      {
        grantId: grant.grantId,
        cameraId: shut.id,
        userId: analyst.id,
        reason: expect.stringContaining('Sun 03:00'),
      },
    ]);
    expect(after.filter((e) => e.type === 'camera.alarm').map((e) => e.payload.active)).toEqual([
      false,
      false,
    ]);
    const restored = (await t.as(admin, 'GET', `/v1/cameras/${shut.id}`)).json();
    expect(restored).toMatchObject({
      alarmActive: false,
      sharing: { mode: 'schedule', recordings: false },
    });
    expect(await t.count('owner_alarms', "end_reason = 'expired'")).toBe(1);

    // Raised again and ended early by the owner.
    const again = await v.get('/portal/owners/');
    await v.post('/portal/owners/alarm', {
      ...hiddenFields(again.body, '/portal/owners/alarm'),
      minutes: '60',
    });
    const now = await v.get('/portal/owners/');
    expect(now.body).toContain('End the alarm now');
    const ended = await v.post(
      '/portal/owners/alarm-end',
      hiddenFields(now.body, '/portal/owners/alarm-end'),
    );
    expect(ended.body).toContain('Your alarm has ended.');
    expect(await t.count('owner_alarms', "end_reason = 'owner'")).toBe(1);
    expect((await t.as(admin, 'GET', `/v1/cameras/${shut.id}`)).json().sharing.mode).toBe(
      'schedule',
    );
    expect(await t.count('alerts', "integration_id = 'portal-owner-alarms' and urgent")).toBe(2);
  });

  it('closes the alarm’s alert when the alarm ends: by the periodic sweep once its time is up, or by the owner', async () => {
    const v = visitor();
    await signInOwner(t, v, owner);
    const raise = async (minutes: string) => {
      const home = await v.get('/portal/owners/');
      const mark = await lastEventId();
      const raised = await v.post('/portal/owners/alarm', {
        ...hiddenFields(home.body, '/portal/owners/alarm'),
        minutes,
      });
      expect(raised.statusCode).toBe(200);
      return (await eventsAfter(mark)).find((e) => e.type === 'alert.raised')!.payload
        .alert as Alert;
    };
    const alertUpdates = async (mark: number) =>
      (await eventsAfter(mark))
        .filter((e) => e.type === 'alert.updated')
        .map((e) => e.payload as { alert: Alert; changed: string[]; escalated: boolean });
    const listed = async (id: string) => {
      await freshStaff();
      const res = await t.as(analyst, 'GET', '/v1/alerts');
      return (res.json() as { alerts: { id: string }[] }).alerts.find((a) => a.id === id)!;
    };
    const sweep = () => t.app.ctx.tasks.runNow('owners.alarm.expire');
    expect(t.app.ctx.tasks.count('owners.alarm.expire')).toBe(1);

    const alert = await raise('15');
    expect(alert).toMatchObject({ acknowledged: null, revision: 0 });
    // The sweep runs before the time is up: the alarm and its alert stay open.
    t.clock.advance(15 * MINUTE - 1000);
    let mark = await lastEventId();
    await sweep();
    expect(await alertUpdates(mark)).toEqual([]);
    expect(await listed(alert.id)).toMatchObject({ acknowledged: null, revision: 0 });

    // The time is up; the sweep that notices it, a few minutes on, closes the alert with a note
    // giving the alarm's own end.
    t.clock.advance(3 * MINUTE);
    mark = await lastEventId();
    await sweep();
    const closed = await alertUpdates(mark);
    expect(closed).toHaveLength(1);
    const note =
      /^The camera owner's alarm ended at Wed \d{1,2} [A-Z][a-z]{2} 2026 1[01]:15: its time ran out\.$/;
    expect(closed[0]).toMatchObject({
      changed: ['revision', 'title', 'details', 'acknowledged'],
      escalated: false,
      alert: {
        id: alert.id,
        title: expect.stringMatching(/^Ended: Camera owner's alarm at /),
        revision: 1,
        urgent: true,
        acknowledged: { by: 'system', byId: null, note: expect.stringMatching(note) },
        details: {
          msgType: 'Update',
          urgency: 'Past',
          description: expect.stringMatching(/its time ran out\.$/),
        },
      },
    });
    // The console hears of it quietly, and lists it closed.
    expect(EVENT_CATALOG['alert.updated'].priorityFor!(closed[0] as never)).toBe('routine');
    expect(await listed(alert.id)).toEqual(closed[0]!.alert);
    const ends = await t.store.store.query<{ actor_name: string; details: { alert: object } }>(
      `select actor_name, details from audit_log where action = 'owner.alarm.end' and id > ${auditMark}`,
    );
    expect(ends.rows).toHaveLength(1);
    expect(ends.rows[0]!.actor_name).toBe('system');
    expect(ends.rows[0]!.details.alert).toEqual({
      id: alert.id,
      acknowledged: true,
      endedAt: new Date(Date.parse(alert.receivedAt) + 15 * MINUTE).toISOString(),
    });
    // Once closed, a later sweep changes nothing more.
    mark = await lastEventId();
    await sweep();
    expect(await alertUpdates(mark)).toEqual([]);

    // Raised again and acknowledged by an analyst; the owner ends it. The analyst's
    // acknowledgement stays; the alert still says the alarm ended.
    const second = await raise('60');
    await freshStaff();
    const ack = await t.as(analyst, 'POST', `/v1/alerts/${second.id}/acknowledgement`, {
      note: 'Unit 12 on the way',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    t.clock.advance(5 * MINUTE);
    const home = await v.get('/portal/owners/');
    mark = await lastEventId();
    const ended = await v.post(
      '/portal/owners/alarm-end',
      hiddenFields(home.body, '/portal/owners/alarm-end'),
    );
    expect(ended.statusCode).toBe(200);
    const byOwner = await alertUpdates(mark);
    expect(byOwner).toHaveLength(1);
    expect(byOwner[0]).toMatchObject({
      changed: ['revision', 'title', 'details'],
      alert: {
        id: second.id,
        title: expect.stringMatching(/^Ended: /),
        acknowledged: { by: analyst.username, note: 'Unit 12 on the way' },
        details: {
          description: expect.stringMatching(
            /The camera owner's alarm ended at Wed \d{1,2} [A-Z][a-z]{2} 2026 1[01]:\d\d: the owner ended it\.$/,
          ),
        },
      },
    });
    expect(await auditCount('owner.alarm.end')).toBe(2);
  });

  it('shows who viewed the cameras: when, how long, why, the case; the analyst only if the agency says', async () => {
    const grant = (await view(front.id)).json() as StreamGrant;
    t.clock.advance(5 * MINUTE);
    await freshStaff();
    const ended = await t.as(analyst, 'DELETE', `/v1/grants/${grant.grantId}`);
    expect(ended.statusCode, ended.body).toBe(200);
    // A view still going on says so.
    await view(front.id);
    const v = visitor();
    await signInOwner(t, v, owner);
    const page = await v.get('/portal/owners/views');
    expect(page.statusCode).toBe(200);
    // The page's markup with the layout's white space between tags taken out.
    const cells = (body: string) => body.replace(/>\s+/g, '>').replace(/\s+</g, '<');
    expect(page.body).toContain('Front door');
    expect(cells(page.body)).toContain('<td>5 min</td>');
    expect(page.body).toContain('Still viewing');
    expect(page.body).toContain('Active incident');
    expect(page.body).toContain('INC-2026-0042');
    expect(page.body).toContain('It does not name the analyst.');
    expect(page.body).not.toContain(analyst.username);
    expect(await auditCount('owner.views.read')).toBe(1);

    await setAgency(
      t.store.store,
      { ...TEST_CITY, portal: { ...TEST_CITY.portal, showViewerNames: true } },
      new Date(t.clock.now()),
    );
    const named = await v.get('/portal/owners/views');
    expect(named.body).toContain('<th scope="col">Analyst</th>');
    expect(cells(named.body)).toMatch(/<td>analyst\d+<\/td>/);
    await setAgency(t.store.store, TEST_CITY, new Date(t.clock.now()));
  });
});
