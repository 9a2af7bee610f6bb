import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import type { TestUser } from '../../support/testApp';
import { MAP_PAGE_CSP, MAP_SCRIPTS } from '../../../server/portal/registrationMap';
import { PORTAL_CSP } from '../../../server/portal/routes';
import {
  CONFIRM_LINK_HOURS,
  expireUnconfirmed,
} from '../../../server/registrations/registrationChanges';
import type { RegistrationSummary } from '../../../shared/api/registrations';
import { linkIn, registrationFields, startPortalApp, type PortalApp } from './portalSupport';

/**
 * A resident registers cameras through the portal and confirms by the link in the email a real
 * SMTP server received; nothing is in the registry before. The same kind of link changes or
 * withdraws the registration; a look-alike of a registry entry is flagged for an administrator.
 */
describe.each(STORE_KINDS)('camera registration through the portal on %s', (kind) => {
  let t: PortalApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startPortalApp(kind);
    admin = await t.user('admin');
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const registered = (email: string) =>
    t.count(
      'cameras c join camera_owner_contacts o on o.camera_id = c.id',
      `c.status = 'active' and o.email = '${email}'`,
    );

  async function eventsSince(id: number) {
    const res = await t.store.store.query<{ id: number; type: string; payload: unknown }>(
      'select id, type, payload from events where id > $1 order by id',
      [id],
    );
    return res.rows;
  }
  async function lastEventId() {
    const res = await t.store.store.query<{ id: number | null }>(
      'select max(id) as id from events',
    );
    return Number(res.rows[0]!.id ?? 0);
  }

  it('serves the pages in the agency name, with a strict CSP and no script but the map', async () => {
    const v = t.visitor();
    for (const url of ['/portal/', '/portal/cameras/manage', '/portal/transparency']) {
      const res = await v.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(PORTAL_CSP);
      expect(res.body).toContain('Test City Police');
      expect(res.body).toContain('call 911');
      expect(res.body).not.toMatch(/<script/i);
    }
    // The registration form's map pin: its own scripts only, and only there.
    const register = await v.get('/portal/cameras/register');
    expect(register.headers['content-security-policy']).toBe(MAP_PAGE_CSP);
    expect([...register.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toEqual([
      ...MAP_SCRIPTS,
    ]);
    expect(register.body).not.toMatch(/<script>|\son\w+=/i);
    expect(register.body).toContain('We never see its video.');
    expect(register.body).toContain('There is no cost.');
    expect(register.body).toContain('confidential');
    expect(register.body).toContain('only when a crime occurs near your camera');
    const css = await v.get('/portal/agency.css');
    expect(css.body).toBe(':root{--primary:#1f3a5f}\n');
  });

  it('registers two cameras only once the owner follows the emailed link', async () => {
    const email = 'dana.two@example.org';
    const v = t.visitor();
    const before = await lastEventId();
    const sent = await v.fill(
      '/portal/cameras/register',
      '/portal/cameras/register',
      registrationFields(email, [
        { lat: 36.1001, lng: -80.2441, address: '100 N Main St' },
        { lat: 36.1003, lng: -80.2443, address: '100 N Main St' },
      ]),
    );
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toContain('Check your email');
    expect(await registered(email)).toBe(0);
    expect(await t.count('camera_registrations', "state = 'pending'")).toBeGreaterThan(0);

    const mail = await t.mail.next(email);
    expect(mail.subject).toBe('Confirm your camera registration with Test City Police');
    expect(mail.text).toContain(`within ${CONFIRM_LINK_HOURS} hours`);
    const link = linkIn(mail, 'confirm');
    // The token is kept only as its hash.
    const token = new URL(link, 'https://x').searchParams.get('token')!;
    expect(await t.count('registration_links', `token_hash = '${token}'`)).toBe(0);

    // Opening the link (as a mail scanner would) changes nothing: the button does.
    const page = await v.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confirm my registration');
    expect(await registered(email)).toBe(0);

    const confirmed = await v.fill(link, '/portal/cameras/confirm', {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.body).toContain('Your cameras are registered');
    expect(await registered(email)).toBe(2);

    const events = await eventsSince(before);
    expect(events.map((e) => e.type)).toEqual([
      'camera.created',
      'camera.created',
      'registration.confirmed',
    ]);
    const created = events[0]!.payload as {
      camera: { kind: string; name: string; bearingDeg: number };
    };
    expect(created.camera.kind).toBe('registered');
    // The map shows the address, never the owner's name.
    expect(created.camera.name).toBe('100 N Main St (camera 1)');
    expect(JSON.stringify(events)).not.toContain('Dana Reyes');

    // The link is used up.
    const again = await v.get(link);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This link no longer works');

    const welcome = await t.mail.next(email, mail.n);
    expect(welcome.subject).toBe('Your cameras are registered with Test City Police');
    linkIn(welcome, 'manage');
  });

  it('lets the owner change and then withdraw by the link in the email; the trail keeps it', async () => {
    const email = 'sam.change@example.org';
    const v = t.visitor();
    await v.fill(
      '/portal/cameras/register',
      '/portal/cameras/register',
      registrationFields(email, [
        { lat: 36.11, lng: -80.25, address: '7 Oak St' },
        { lat: 36.1102, lng: -80.2502, address: '7 Oak St' },
      ]),
    );
    const confirm = await t.mail.next(email);
    await v.fill(linkIn(confirm, 'confirm'), '/portal/cameras/confirm', {});
    const welcome = await t.mail.next(email, confirm.n);
    const manage = linkIn(welcome, 'manage');

    const page = await v.get(manage);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Dana Reyes"');
    expect(page.body).toContain('value="7 Oak St"');

    // One camera only now, and a new phone.
    const changed = registrationFields(email, [
      { lat: 36.1101, lng: -80.2501, address: '9 Oak St' },
    ]);
    delete changed.email;
    changed.phone = '336-555-0199';
    const saved = await v.fill(manage, '/portal/cameras/manage', changed);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).toContain('Your changes are saved');
    expect(await registered(email)).toBe(1);
    const owner = await t.store.store.query<{ phone: string; address: string }>(
      `select o.phone, c.address from cameras c join camera_owner_contacts o on o.camera_id = c.id
       where o.email = $1 and c.status = 'active'`,
      [email],
    );
    expect(owner.rows[0]).toEqual({ phone: '336-555-0199', address: '9 Oak St' });

    const before = await lastEventId();
    const withdrawn = await v.fill(manage, '/portal/cameras/withdraw', { sure: 'yes' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.body).toContain('Your registration is withdrawn');
    expect(await registered(email)).toBe(0);
    expect(await t.count('camera_owner_contacts', `email = '${email}'`)).toBe(0);
    expect(await t.count('camera_registrations', `email = '${email}'`)).toBe(0);
    const events = await eventsSince(before);
    expect(events.map((e) => e.type)).toEqual(['camera.retired', 'registration.updated']);
    const audit = await t.store.store.query<{ action: string; actor_name: string }>(
      `select action, actor_name from audit_log where action like 'registration.%' and target_id = (
         select target_id from audit_log where action = 'registration.withdraw' order by id desc limit 1)
       order by id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'registration.submit',
      'registration.confirm',
      'registration.update',
      'registration.withdraw',
    ]);
    expect(audit.rows[3]!.actor_name).toBe('public portal');
    const bye = await t.mail.next(email, welcome.n);
    expect(bye.subject).toBe('Your camera registration with Test City Police is withdrawn');
    // The manage link died with the registration.
    expect((await v.get(manage)).statusCode).toBe(404);
  });

  it('sends a fresh link to manage a registration to its address, and says the same for any other', async () => {
    const email = 'lee.link@example.org';
    const v = t.visitor();
    await v.fill('/portal/cameras/register', '/portal/cameras/register', registrationFields(email));
    const confirm = await t.mail.next(email);
    await v.fill(linkIn(confirm, 'confirm'), '/portal/cameras/confirm', {});
    const welcome = await t.mail.next(email, confirm.n);

    const asked = await v.fill('/portal/cameras/manage', '/portal/cameras/manage-link', {
      email: 'LEE.LINK@example.org',
    });
    expect(asked.statusCode).toBe(200);
    const fresh = await t.mail.next(email, welcome.n);
    expect(fresh.subject).toContain('Your link to manage');
    expect((await v.get(linkIn(fresh, 'manage'))).statusCode).toBe(200);

    const unknown = await v.fill('/portal/cameras/manage', '/portal/cameras/manage-link', {
      email: 'nobody@example.org',
    });
    expect(unknown.statusCode).toBe(200);
    // The same page either way: the form does not tell who is registered.
    expect(unknown.body).toBe(asked.body);
  });

  it('flags a registration that repeats a registry entry of the same owner, for an admin to merge', async () => {
    const email = 'kim.twice@example.org';
    const first = t.visitor();
    await first.fill(
      '/portal/cameras/register',
      '/portal/cameras/register',
      registrationFields(email, [{ lat: 36.12, lng: -80.26, address: '12 Elm St' }]),
    );
    const c1 = await t.mail.next(email);
    await first.fill(linkIn(c1, 'confirm'), '/portal/cameras/confirm', {});
    const w1 = await t.mail.next(email, c1.n);

    const second = t.visitor();
    // 5 m away, same owner: the same camera entered twice.
    await second.fill(
      '/portal/cameras/register',
      '/portal/cameras/register',
      registrationFields(email, [{ lat: 36.12004, lng: -80.26002, address: '12 Elm Street' }]),
    );
    const c2 = await t.mail.next(email, w1.n);
    const before = await lastEventId();
    await second.fill(linkIn(c2, 'confirm'), '/portal/cameras/confirm', {});
    const notice = (await eventsSince(before)).find((e) => e.type === 'registration.confirmed')!;
    const summary = (notice.payload as { registration: RegistrationSummary }).registration;
    expect(summary.openDuplicates).toBe(1);
    const flagged = summary.cameras[0]!;
    expect(flagged.duplicateOf?.name).toBe('12 Elm St');
    expect(flagged.duplicateOf!.distanceM).toBeLessThan(10);

    const open = await t.as(admin, 'GET', '/v1/registrations?duplicates=open');
    expect(open.statusCode).toBe(200);
    // (Earlier tests' registrations by the same name at the same spot are flagged too.)
    const openIds = (r: { json(): { registrations: RegistrationSummary[] } }) =>
      r.json().registrations.map((x) => x.id);
    expect(openIds(open)).toContain(summary.id);
    // No owner's name or contact in the console's list.
    expect(open.body).not.toContain(email);
    expect(open.body).not.toContain('Dana Reyes');

    const analyst = await t.user('analyst');
    const refused = await t.as(
      analyst,
      'POST',
      `/v1/registrations/${summary.id}/cameras/${flagged.cameraId}/duplicate`,
      { resolution: 'merged' },
    );
    expect(refused.statusCode).toBe(403);

    const merged = await t.as(
      admin,
      'POST',
      `/v1/registrations/${summary.id}/cameras/${flagged.cameraId}/duplicate`,
      { resolution: 'merged' },
    );
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().openDuplicates).toBe(0);
    expect(merged.json().cameras[0].resolution).toBe('merged');
    const older = await t.store.store.query<{ status: string }>(
      'select status from cameras where id = $1',
      [flagged.duplicateOf!.cameraId],
    );
    expect(older.rows[0]!.status).toBe('retired');
    const twice = await t.as(
      admin,
      'POST',
      `/v1/registrations/${summary.id}/cameras/${flagged.cameraId}/duplicate`,
      { resolution: 'distinct' },
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('This duplicate was already settled (merged).');
    expect(openIds(await t.as(admin, 'GET', '/v1/registrations?duplicates=open'))).not.toContain(
      summary.id,
    );
  });

  it('forgets a registration nobody confirmed once its link expires', async () => {
    const email = 'never.confirmed@example.org';
    const v = t.visitor();
    await v.fill('/portal/cameras/register', '/portal/cameras/register', registrationFields(email));
    const mail = await t.mail.next(email);
    t.clock.advance(CONFIRM_LINK_HOURS * 3_600_000 + 60_000);
    const late = await v.get(linkIn(mail, 'confirm'));
    expect(late.statusCode).toBe(404);
    expect(await t.count('camera_registrations', `email = '${email}'`)).toBe(1);
    await expireUnconfirmed(t.app.ctx);
    expect(await t.count('camera_registrations', `email = '${email}'`)).toBe(0);
    expect(await registered(email)).toBe(0);
  });
});
