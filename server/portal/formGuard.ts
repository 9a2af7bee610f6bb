import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/store';
import type { Clock } from '../../shared/time/clock';

/**
 * CSRF protection and the minimum fill time of the portal's forms, in one signed token
 * (docs/portal.md). The browser holds a random cookie; each form carries
 * `<issued at>.<HMAC(key, cookie | form | issued at)>`. A post is taken only when the token is
 * the server's, was made for this cookie and this form, and is old enough that a person filled
 * the form (a script posts at once) but not so old that it was left lying about.
 */

export const FORM_COOKIE = 'wf_portal';
/** A person takes longer than this to fill any of the portal's forms. */
export const MIN_FILL_MS = 3_000;
/** A form older than this is sent back to be submitted again (with what was entered). */
export const MAX_FORM_AGE_MS = 4 * 3_600_000;

export type FormCheck = 'ok' | 'forged' | 'too_fast' | 'expired';

function cookieOf(req: FastifyRequest): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === FORM_COOKIE) {
      const v = value.join('=');
      return /^[A-Za-z0-9_-]{22,64}$/.test(v) ? v : null;
    }
  }
  return null;
}

/** The key the forms are signed with: one row shared by every server instance, made once. */
async function loadFormKey(store: Store, clock: Clock): Promise<Buffer> {
  await store.query(
    `insert into portal_keys (name, key, created_at) values ('forms', $1, $2)
     on conflict (name) do nothing`,
    [randomBytes(32).toString('hex'), new Date(clock.now()).toISOString()],
  );
  const res = await store.query<{ key: string }>(
    "select key from portal_keys where name = 'forms'",
  );
  return Buffer.from(res.rows[0]!.key, 'hex');
}

export class FormGuard {
  private key: Promise<Buffer> | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private formKey(): Promise<Buffer> {
    this.key ??= loadFormKey(this.store, this.clock).catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  private async sign(cookie: string, form: string, issuedAt: number): Promise<string> {
    return createHmac('sha256', await this.formKey())
      .update(`${cookie}|${form}|${issuedAt}`)
      .digest('base64url');
  }

  /**
   * A token for a form about to be shown, setting the browser's cookie when it has none. The
   * cookie is HttpOnly and SameSite=Lax: a page elsewhere can neither read it nor post with it.
   */
  async issue(req: FastifyRequest, reply: FastifyReply, form: string): Promise<string> {
    let cookie = cookieOf(req);
    if (cookie === null) {
      cookie = randomBytes(24).toString('base64url');
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${FORM_COOKIE}=${cookie}; Path=/portal; HttpOnly; SameSite=Lax${secure}`,
      );
    }
    const issuedAt = this.clock.now();
    return `${issuedAt}.${await this.sign(cookie, form, issuedAt)}`;
  }

  /** Whether a posted form's token is good (see the module's comment). */
  async check(req: FastifyRequest, form: string, token: string | undefined): Promise<FormCheck> {
    const cookie = cookieOf(req);
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
    if (cookie === null || !m) return 'forged';
    const issuedAt = Number(m[1]);
    const expected = Buffer.from(await this.sign(cookie, form, issuedAt));
    const given = Buffer.from(m[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
    const age = this.clock.now() - issuedAt;
    if (age < MIN_FILL_MS) return 'too_fast';
    if (age > MAX_FORM_AGE_MS) return 'expired';
    return 'ok';
  }

  /**
   * The check of a one-button form (confirm, withdraw, sign in, sign out): it needs no fill time,
   * so only the token's origin counts.
   */
  async checkOrigin(
    req: FastifyRequest,
    form: string,
    token: string | undefined,
  ): Promise<'ok' | 'forged'> {
    return (await this.check(req, form, token)) === 'forged' ? 'forged' : 'ok';
  }
}
