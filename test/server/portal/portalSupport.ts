import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../support/testApp';
import { setAgency } from '../../../server/agency/agencyRepository';
import { TEST_CITY } from '../../support/testCity';
import { MailCatcher, type CaughtMail } from '../../../server/mail/mailCatcher';
import { MIN_FILL_MS } from '../../../server/portal/formGuard';
import type { ServerConfig } from '../../../server/config';
import type { StoreKind } from '../../../server/store/store';

/** A server for the portal's tests: the test city, and mail going to a real local SMTP server. */
export interface PortalApp extends TestApp {
  readonly mail: MailCatcher;
  /** A visitor: their own cookie and address. */
  visitor(address?: string): Visitor;
  count(table: string, where?: string): Promise<number>;
}

export async function startPortalApp(
  kind: StoreKind,
  config: Partial<ServerConfig> = {},
): Promise<PortalApp> {
  const mail = await MailCatcher.start();
  const t = await startTestApp(kind, {
    config: {
      mail: { smtpUrl: mail.smtpUrl, from: 'Test City RTCC <rtcc@test-city.example>' },
      publicUrl: 'https://portal.test-city.example',
      ...config,
    },
  });
  await setAgency(t.store.store, TEST_CITY, new Date(t.clock.now()));
  let n = 0;
  return {
    ...t,
    mail,
    visitor: (address) => new Visitor(t, address ?? `203.0.113.${++n}`),
    async count(table, where = 'true') {
      const res = await t.store.store.query<{ n: number }>(
        `select count(*)::int as n from ${table} where ${where}`,
      );
      return Number(res.rows[0]!.n);
    },
    async close() {
      await t.close();
      await mail.stop();
    },
  };
}

/** A browser, as far as the portal can tell: a cookie jar and a client address. */
export class Visitor {
  private cookie: string | null = null;

  constructor(
    private readonly t: TestApp,
    readonly address: string,
  ) {}

  /** The cookie this browser sends, if it has one. */
  get cookieHeader(): string | null {
    return this.cookie;
  }

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    const first = Array.isArray(set) ? set[0] : set;
    if (first) this.cookie = first.split(';')[0]!;
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.t.app.api.inject({
        method: 'GET',
        url,
        remoteAddress: this.address,
        headers: this.cookie ? { cookie: this.cookie } : {},
      }),
    );
  }

  async post(
    url: string,
    fields: Readonly<Record<string, string>>,
    opts: { cookie?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const cookie = opts.cookie === undefined ? this.cookie : opts.cookie;
    return this.remember(
      await this.t.app.api.inject({
        method: 'POST',
        url,
        remoteAddress: this.address,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(cookie ? { cookie } : {}),
        },
        payload: new URLSearchParams(fields as Record<string, string>).toString(),
      }),
    );
  }

  /**
   * Opens a form page, takes its token, lets a person's time pass and posts the fields; the
   * page's own hidden fields (token, camera count, link token) go with them.
   */
  async fill(
    pageUrl: string,
    action: string,
    fields: Readonly<Record<string, string>>,
    opts: { waitMs?: number } = {},
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    if (page.statusCode !== 200) throw new Error(`GET ${pageUrl} → ${page.statusCode}`);
    const hidden = hiddenFields(page.body, action);
    this.t.clock.advance(opts.waitMs ?? MIN_FILL_MS + 1000);
    return this.post(action, { ...hidden, ...fields });
  }
}

/** The hidden fields of the form that posts to `action` on a page. */
export function hiddenFields(page: string, action: string): Record<string, string> {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    if (!/\btype="hidden"/.test(input)) continue;
    const name = /\bname="([^"]+)"/.exec(input)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(input)?.[1];
    if (name !== undefined) out[name] = (value ?? '').replace(/&amp;/g, '&');
  }
  return out;
}

/** The link in a received email that leads to a portal page. */
export function linkIn(mail: CaughtMail, page: 'confirm' | 'manage'): string {
  const m = new RegExp(
    `https://portal\\.test-city\\.example(/portal/cameras/${page}\\?token=[A-Za-z0-9_-]+)`,
  ).exec(mail.text);
  if (!m) throw new Error(`no ${page} link in "${mail.subject}":\n${mail.text}`);
  return m[1]!;
}

/** A valid registration of `cameras` cameras in the test city, as form fields. */
export function registrationFields(
  email: string,
  cameras: readonly { lat: number; lng: number; address?: string }[] = [
    { lat: 36.1001, lng: -80.2441, address: '100 N Main St' },
  ],
): Record<string, string> {
  const fields: Record<string, string> = {
    ownerKind: 'person',
    name: 'Dana Reyes',
    email,
    phone: '(336) 555-0142',
    cameraCount: String(cameras.length),
    website: '',
    action: 'submit',
  };
  cameras.forEach((c, i) => {
    const n = i + 1;
    fields[`c${n}_lat`] = String(c.lat);
    fields[`c${n}_lng`] = String(c.lng);
    fields[`c${n}_address`] = c.address ?? '';
    fields[`c${n}_facing`] = 'N';
    fields[`c${n}_covers`] = 'Front porch and the sidewalk';
    fields[`c${n}_retention`] = '30';
  });
  return fields;
}
