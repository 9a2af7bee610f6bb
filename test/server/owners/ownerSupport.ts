import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { generate } from 'otplib';
import type { TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import type { SharingPolicy } from '../../../shared/domain/sharingPolicy';
import type { CaughtMail } from '../../../server/mail/mailCatcher';
import { MIN_FILL_MS } from '../../../server/portal/formGuard';
import { createCamera, integratedCamera } from '../cameras/cameraFixtures';
import { hiddenFields, type PortalApp } from '../portal/portalSupport';

/**
 * A browser as far as the owners' pages can tell: a cookie jar holding both the portal's form
 * cookie and the owner's session cookie, and a client address.
 */
export class OwnerVisitor {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly t: PortalApp,
    readonly address: string,
  ) {}

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair, ...attrs] = c.split(';');
      const [name, ...value] = pair!.split('=');
      const gone = attrs.some((a) => a.trim() === 'Max-Age=0');
      if (gone) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    return res;
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.t.app.api.inject({
        method: 'GET',
        url,
        remoteAddress: this.address,
        headers: this.cookieHeader(),
      }),
    );
  }

  async post(
    url: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.t.app.api.inject({
        method: 'POST',
        url,
        remoteAddress: this.address,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader() },
        payload: new URLSearchParams(fields as Record<string, string>).toString(),
      }),
    );
  }

  /** Opens a page, takes the hidden fields of its form posting to `action`, waits, posts. */
  async fill(
    pageUrl: string,
    action: string,
    fields: Readonly<Record<string, string>>,
    waitMs = MIN_FILL_MS + 1000,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    if (page.statusCode !== 200) throw new Error(`GET ${pageUrl} → ${page.statusCode}`);
    const hidden = hiddenFields(page.body, action);
    this.t.clock.advance(waitMs);
    return this.post(action, { ...hidden, ...fields });
  }
}

/** The sign-in link in an owner's email, as a path. */
export function ownerLinkIn(mail: CaughtMail): string {
  const m =
    /https:\/\/portal\.test-city\.example(\/portal\/owners\/sign-in\?token=[A-Za-z0-9_-]{43})/.exec(
      mail.text,
    );
  if (!m) throw new Error(`no sign-in link in "${mail.subject}":\n${mail.text}`);
  return m[1]!;
}

/** An integrated camera of `email`'s, whose policy the owner keeps (or the agency, if told). */
export async function ownersCamera(
  t: PortalApp,
  admin: TestUser,
  email: string,
  opts: {
    name: string;
    sharing?: Partial<SharingPolicy>;
    keeper?: 'owner' | 'agency';
    lat?: number;
    lng?: number;
  },
): Promise<Camera> {
  const camera = await createCamera(
    t,
    admin,
    integratedCamera(opts.sharing ?? {}, {
      name: opts.name,
      owner: { name: 'Olivia Quartermain', phone: '336-555-0142', email },
      ...(opts.lat === undefined ? {} : { lat: opts.lat, lng: opts.lng }),
    } as never),
  );
  if ((opts.keeper ?? 'owner') === 'owner') {
    const res = await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, { policyKeeper: 'owner' });
    expect(res.statusCode, res.body).toBe(200);
  }
  return camera;
}

/**
 * Signs an owner in by the emailed link: asks for it, reads it from the mail the SMTP server
 * received, opens it and presses the button. Returns the reply to the button's post.
 */
export async function signInOwner(
  t: PortalApp,
  v: OwnerVisitor,
  email: string,
): Promise<LightMyRequestResponse> {
  const since = t.mail.messages.length === 0 ? 0 : t.mail.messages[t.mail.messages.length - 1]!.n;
  const asked = await v.fill('/portal/owners/sign-in', '/portal/owners/sign-in-link', {
    email,
    website: '',
  });
  expect(asked.statusCode, asked.body).toBe(200);
  const link = ownerLinkIn(await t.mail.next(email, since));
  const page = await v.get(link);
  expect(page.statusCode).toBe(200);
  return v.post('/portal/owners/sign-in', hiddenFields(page.body, '/portal/owners/sign-in'));
}

/** The code an authenticator app shows at the test's clock, plus `offsetMs`. */
export function codeAt(t: PortalApp, secret: string, offsetMs = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor((t.clock.now() + offsetMs) / 1000) });
}

/**
 * Adds an authenticator app for a signed-in owner with the security page's own forms; returns
 * its secret, for codeAt.
 */
export async function addAuthenticator(t: PortalApp, v: OwnerVisitor): Promise<string> {
  const security = await v.get('/portal/owners/security');
  const started = await v.post(
    '/portal/owners/authenticator',
    hiddenFields(security.body, '/portal/owners/authenticator'),
  );
  expect(started.statusCode, started.body).toBe(200);
  const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(started.body)![1]!;
  const added = await v.post('/portal/owners/authenticator', {
    ...hiddenFields(started.body, '/portal/owners/authenticator'),
    code: await codeAt(t, secret),
  });
  expect(added.statusCode, added.body).toBe(200);
  return secret;
}

/** A well-formed code the app does not show now, nor one step either side of now. */
export async function notACode(t: PortalApp, secret: string): Promise<string> {
  const near = await Promise.all([-30_000, 0, 30_000].map((ms) => codeAt(t, secret, ms)));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, '0');
    if (!near.includes(code)) return code;
  }
}
