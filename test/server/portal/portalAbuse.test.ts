import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrationFields, startPortalApp, type PortalApp } from './portalSupport';

/**
 * What the portal refuses, and that a refusal stores nothing and sends nothing: bad fields (the
 * form comes back with a message by each), a post from elsewhere (CSRF), a filled honeypot, a
 * form sent faster than a person fills it, and a burst from one address (429).
 */
describe('the portal refuses abuse and stores nothing', () => {
  let t: PortalApp;
  const PER_HOUR = 4;

  beforeAll(async () => {
    t = await startPortalApp('pglite', { portalSubmissionsPerHour: PER_HOUR });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  /** The page's text with its whitespace as a reader hears it (one space). */
  const text = (res: { body: string }) => res.body.replace(/\s+/g, ' ');

  /** Nothing kept and nothing queued since the test began. */
  async function nothingStored() {
    expect(await t.count('camera_registrations')).toBe(0);
    expect(await t.count('mail_outbox')).toBe(0);
    expect(await t.count('cameras')).toBe(0);
  }

  it('gives the form back with a clear message by each wrong field, keeping what was typed', async () => {
    const v = t.visitor();
    const fields = {
      ...registrationFields('not-an-email'),
      ownerKind: '',
      phone: '12',
      c1_lat: 'north',
      c1_lng: '-80.2441',
      c1_facing: 'UP',
      c1_covers: '',
      c1_retention: '-3',
    };
    const res = await v.fill('/portal/cameras/register', '/portal/cameras/register', fields);
    expect(res.statusCode).toBe(400);
    const page = text(res);
    expect(page).toContain('There are 7 problems with what you entered');
    expect(page).toContain('Error: Choose a person or a business');
    expect(page).toContain('Error: Enter an email address such as name@example.com');
    expect(page).toContain('Error: A phone number has 7 to 15 digits');
    expect(page).toContain('Error: Enter the latitude in degrees, from -90 to 90, e.g. 36.0999');
    expect(page).toContain('Error: Choose the direction the camera faces');
    expect(page).toContain('Error: Say roughly what the camera covers');
    expect(page).toContain('Error: Zero or more days');
    // Each message is tied to its field for screen readers, and what was typed is kept.
    expect(page).toMatch(
      /id="c1_lat"[^>]*aria-invalid="true"[^>]*aria-describedby="c1_lat-error"/s,
    );
    expect(page).toContain('value="north"');
    expect(page).toContain('value="Dana Reyes"');
    await nothingStored();
  });

  it('refuses a camera outside the agency’s area (latitude and longitude swapped)', async () => {
    const v = t.visitor();
    const res = await v.fill('/portal/cameras/register', '/portal/cameras/register', {
      ...registrationFields('swap@example.org'),
      c1_lat: '-80.2441',
      c1_lng: '36.1001',
    });
    expect(res.statusCode).toBe(400);
    expect(text(res)).toContain(
      'Error: This location is outside Agency&#39;s area: check the latitude and the longitude (not swapped?).',
    );
    const far = await v.fill('/portal/cameras/register', '/portal/cameras/register', {
      ...registrationFields('far@example.org'),
      c1_lat: '35.2271',
      c1_lng: '-80.8431',
    });
    expect(far.statusCode).toBe(400);
    expect(text(far)).toContain('is outside Agency&#39;s area');
    await nothingStored();
  });

  it('adds and removes camera blocks without storing anything', async () => {
    const v = t.visitor();
    const added = await v.fill('/portal/cameras/register', '/portal/cameras/register', {
      ...registrationFields('blocks@example.org'),
      action: 'add',
    });
    expect(added.statusCode).toBe(200);
    expect(text(added)).toContain('Camera 2');
    expect(text(added)).toContain('Remove camera 2');
    expect(text(added)).toContain('value="Front porch and the sidewalk"');
    await nothingStored();
  });

  it('refuses a post without the browser’s cookie, or with a token made for another (CSRF)', async () => {
    const v = t.visitor();
    const page = await v.get('/portal/cameras/register');
    const token = /name="formToken" value="([^"]+)"/.exec(page.body)![1]!;
    t.clock.advance(10_000);
    const fields = { ...registrationFields('csrf@example.org'), formToken: token };

    const noCookie = await v.post('/portal/cameras/register', fields, { cookie: null });
    expect(noCookie.statusCode).toBe(403);
    expect(text(noCookie)).toContain('This form could not be checked');

    const other = t.visitor();
    await other.get('/portal/'); // has a cookie of its own, but not this form's token
    const wrongCookie = await other.post('/portal/cameras/register', fields);
    expect(wrongCookie.statusCode).toBe(403);

    const noToken = await v.post('/portal/cameras/register', { ...fields, formToken: '' });
    expect(noToken.statusCode).toBe(403);
    await nothingStored();
  });

  it('tells a filled honeypot what a person is told, and keeps nothing', async () => {
    const v = t.visitor();
    const res = await v.fill('/portal/cameras/register', '/portal/cameras/register', {
      ...registrationFields('bot@example.org'),
      website: 'http://spam.example',
    });
    expect(res.statusCode).toBe(200);
    expect(text(res)).toContain('Check your email');
    await nothingStored();
  });

  it('sends back a form posted faster than a person fills it', async () => {
    const v = t.visitor();
    const res = await v.fill(
      '/portal/cameras/register',
      '/portal/cameras/register',
      registrationFields('quick@example.org'),
      { waitMs: 500 },
    );
    expect(res.statusCode).toBe(400);
    expect(text(res)).toContain('The form was sent very quickly after it opened');
    expect(text(res)).toContain('value="quick@example.org"');
    await nothingStored();
  });

  it('answers a burst from one address with 429 and stores nothing of what it refused', async () => {
    const v = t.visitor('198.51.100.7');
    const statuses: number[] = [];
    for (let i = 0; i < PER_HOUR + 3; i++) {
      const res = await v.fill(
        '/portal/cameras/register',
        '/portal/cameras/register',
        registrationFields(`burst${i}@example.org`),
      );
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(text(res)).toContain('Too many attempts');
      }
    }
    expect(statuses).toEqual([...Array(PER_HOUR).fill(200), 429, 429, 429]);
    expect(await t.count('camera_registrations')).toBe(PER_HOUR);
    expect(await t.count('mail_outbox')).toBe(PER_HOUR);
    // Another address is not held back by this one.
    const other = await t
      .visitor('198.51.100.8')
      .fill(
        '/portal/cameras/register',
        '/portal/cameras/register',
        registrationFields('other@example.org'),
      );
    expect(other.statusCode).toBe(200);
    // And the hour passes.
    t.clock.advance(3_600_000);
    const later = await v.fill(
      '/portal/cameras/register',
      '/portal/cameras/register',
      registrationFields('later@example.org'),
    );
    expect(later.statusCode).toBe(200);
  });
});

describe('the portal without mail', () => {
  it('says registration is not available rather than promise an email that cannot leave', async () => {
    const t = await startPortalApp('pglite', { mail: null });
    try {
      const res = await t
        .visitor()
        .fill(
          '/portal/cameras/register',
          '/portal/cameras/register',
          registrationFields('x@example.org'),
        );
      expect(res.statusCode).toBe(503);
      expect(res.body.replace(/\s+/g, ' ')).toContain('This site cannot send email yet');
      expect(await t.count('camera_registrations')).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});
