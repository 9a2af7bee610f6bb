import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock';
import type { ServerContext } from '../context';
import type { Api } from '../http/api';
import { LOCKOUT_MS, LOCKOUT_THRESHOLD } from './lockout';

/**
 * Failed sign-ins are throttled per client address and per account, before any password is
 * hashed or any row is written, so a burst of guesses costs the server almost nothing and does
 * not slow anybody else's requests (docs/decisions/0019-*.md). The counting is
 * @fastify/rate-limit's, in a store that reads the server's clock; only failures count.
 */

/** The window both counts run over: the lockout's ten minutes (CJIS 5.5.3). */
export const THROTTLE_WINDOW_MS = LOCKOUT_MS;

interface Count {
  count: number;
  startMs: number;
}

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A rate-limit store on the injected clock, so windows are testable without waiting. Every
 * limiter made from it shares one map; keys carry their kind ("address:", "account:").
 */
function clockStore(clock: Clock, counts: Map<string, Count>) {
  const alive = (c: Count | undefined, windowMs: number): c is Count =>
    c !== undefined && c.startMs + windowMs > clock.now();
  return class ClockStore {
    incr(key: string, cb: StoreCallback, windowMs: number): void {
      const now = clock.now();
      let c = counts.get(key);
      if (!alive(c, windowMs)) {
        c = { count: 0, startMs: now };
        counts.set(key, c);
      }
      c.count += 1;
      cb(null, { current: c.count, ttl: c.startMs + windowMs - now });
    }
    read(key: string, cb: StoreCallback, windowMs: number): void {
      const c = counts.get(key);
      if (!alive(c, windowMs)) {
        cb(null, { current: 0, ttl: 0 });
        return;
      }
      cb(null, { current: c.count, ttl: c.startMs + windowMs - clock.now() });
    }
    child(): ClockStore {
      return new ClockStore();
    }
  };
}

/** Attempts refused by the throttle, waiting to be written as one audit row per key and window. */
interface Refused {
  readonly kind: 'address' | 'account';
  readonly value: string;
  count: number;
  readonly firstAt: number;
  lastAt: number;
  readonly windowEndsAt: number;
}

export interface ThrottleRefusal {
  readonly retryAfterSeconds: number;
  readonly kind: 'address' | 'account';
}

type Limiter = ReturnType<Api['createRateLimit']>;

export class SignInThrottle {
  private readonly counts = new Map<string, Count>();
  private readonly refused = new Map<string, Refused>();
  private byAddress: Limiter | null = null;
  private byAccount: Limiter | null = null;

  constructor(private readonly ctx: ServerContext) {}

  /** Registers the rate limiter with Fastify (on no route by itself) and makes the two limits. */
  async install(api: Api): Promise<void> {
    await api.register(fastifyRateLimit, {
      global: false,
      store: clockStore(this.ctx.clock, this.counts),
    });
    // isExceeded means "more than max": a peek after N failures must already refuse.
    this.byAddress = api.createRateLimit({
      max: this.ctx.config.signInFailuresPerAddress - 1,
      timeWindow: THROTTLE_WINDOW_MS,
      keyGenerator: (req) => `address:${req.ip}`,
    });
    this.byAccount = api.createRateLimit({
      max: LOCKOUT_THRESHOLD - 1,
      timeWindow: THROTTLE_WINDOW_MS,
      keyGenerator: (req) => `account:${usernameOf(req)}`,
    });
  }

  /**
   * Whether this attempt is refused without being tried. An account that an administrator has
   * unlocked meanwhile (here or with `wf user unlock` in another process) is tried again: the
   * refusal is then checked against the account's row, one indexed read.
   */
  async refusal(req: FastifyRequest, username: string): Promise<ThrottleRefusal | null> {
    const [address, account] = await Promise.all([
      this.limiter('address')(req, { increment: false }),
      this.limiter('account')(req, { increment: false }),
    ]);
    if (!address.isAllowed && address.isExceeded) {
      return this.refuse(req, 'address', req.ip, address.ttl);
    }
    if (!account.isAllowed && account.isExceeded) {
      if (await this.unlockedSince(username, account.ttl)) {
        this.counts.delete(`account:${username}`);
        return null;
      }
      return this.refuse(req, 'account', username, account.ttl);
    }
    return null;
  }

  /** A sign-in failed: it counts against the address and the account. */
  async failed(req: FastifyRequest): Promise<void> {
    await Promise.all([this.limiter('address')(req), this.limiter('account')(req)]);
  }

  /** A sign-in succeeded: the account's count starts again (the address's does not). */
  succeeded(username: string): void {
    this.counts.delete(`account:${username}`);
  }

  /**
   * Writes one audit row for each key whose window has ended, with the number of attempts the
   * throttle refused in it; `all` writes every pending one (at shutdown).
   */
  async flush(all = false): Promise<void> {
    const now = this.ctx.clock.now();
    for (const [key, r] of [...this.refused]) {
      if (!all && r.windowEndsAt > now) continue;
      this.refused.delete(key);
      await this.ctx.record({
        audit: {
          actorId: null,
          actorName: r.kind === 'account' ? r.value : null,
          action: 'auth.login_throttled',
          targetType: r.kind === 'account' ? 'username' : 'address',
          targetId: r.value,
          outcome: 'denied',
          details: {
            [r.kind === 'account' ? 'username' : 'address']: r.value,
            refused: r.count,
            firstAt: new Date(r.firstAt).toISOString(),
            lastAt: new Date(r.lastAt).toISOString(),
          },
        },
        event: null,
      });
    }
    for (const [key, c] of this.counts) {
      if (c.startMs + THROTTLE_WINDOW_MS <= now) this.counts.delete(key);
    }
  }

  private limiter(kind: 'address' | 'account'): Limiter {
    const limiter = kind === 'address' ? this.byAddress : this.byAccount;
    if (!limiter) throw new Error('SignInThrottle.install was not called');
    return limiter;
  }

  private refuse(
    req: FastifyRequest,
    kind: 'address' | 'account',
    value: string,
    ttlMs: number,
  ): ThrottleRefusal {
    const now = this.ctx.clock.now();
    const key = `${kind}:${value}`;
    const pending = this.refused.get(key);
    if (pending) {
      pending.count += 1;
      pending.lastAt = now;
    } else {
      this.refused.set(key, {
        kind,
        value,
        count: 1,
        firstAt: now,
        lastAt: now,
        windowEndsAt: now + ttlMs,
      });
      req.log.warn({ kind, value }, 'sign-in attempts throttled');
    }
    return { kind, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  private async unlockedSince(username: string, ttlMs: number): Promise<boolean> {
    const res = await this.ctx.store.query<{ locked_until: Date | string | null }>(
      'select locked_until from users where username = $1',
      [username],
    );
    const row = res.rows[0];
    // Unknown names stay refused, like locked ones: the reply must not tell them apart.
    if (!row) return false;
    const lockedUntil = row.locked_until === null ? 0 : new Date(row.locked_until).getTime();
    if (lockedUntil > this.ctx.clock.now()) return false;
    // Five failures with no lock left standing: an administrator lifted it, or it ran out.
    return ttlMs > 0;
  }
}

/** The username a sign-in names, as the login schema normalises it (trimmed, lower case). */
function usernameOf(req: FastifyRequest): string {
  const body = req.body as { readonly username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username : '';
}
