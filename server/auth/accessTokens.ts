import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Queryable } from '../store/store';
import type { Clock } from '../../shared/time/clock';
import { RoleSchema } from '../../shared/domain/roles';
import type { Principal } from './principal';

/** Short-lived on purpose: revocation and idle expiry are checked on the session anyway. */
export const ACCESS_TOKEN_SECONDS = 5 * 60;

const ISSUER = 'watchfloor';

/** Loads the signing key, creating it on first start. It never leaves the database. */
export async function loadSigningKey(db: Queryable): Promise<Uint8Array> {
  const fresh = randomBytes(32).toString('base64');
  await db.query(
    `insert into server_secrets (name, value) values ('access_token_key', $1)
     on conflict (name) do nothing`,
    [fresh],
  );
  const row = await db.query<{ value: string }>(
    "select value from server_secrets where name = 'access_token_key'",
  );
  return new Uint8Array(Buffer.from(row.rows[0]!.value, 'base64'));
}

export class AccessTokens {
  constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
  ) {}

  async issue(p: Principal): Promise<{ token: string; expiresAt: string }> {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + ACCESS_TOKEN_SECONDS;
    const token = await new SignJWT({ name: p.username, role: p.role, sid: p.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(p.userId)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** Returns the principal, or null for a token that is malformed, forged or expired. */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.clock.now()),
      });
      const role = RoleSchema.safeParse(payload.role);
      if (!role.success || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
        return null;
      }
      return {
        userId: payload.sub,
        username: String(payload.name ?? ''),
        role: role.data,
        sessionId: payload.sid,
      };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}
