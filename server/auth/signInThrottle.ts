import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../shared/time/clock';
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
    // Counted before the attempt is tried, so that attempts arriving together cannot all slip
    // under the limit; isExceeded means "more than max".
    this.byAddress = api.createRateLimit({
      max: this.ctx.config.signInFailuresPerAddress,
      timeWindow: THROTTLE_WINDOW_MS,
      keyGenerator: (req) => `address:${req.ip}`,
    });
    this.byAccount = api.createRateLimit({
      max: LOCKOUT_THRESHOLD,
      timeWindow: THROTTLE_WINDOW_MS,
      keyGenerator: (req) => `account:${usernameOf(req)}`,
    });
  }

  /**
   * Counts this attempt as a failure in advance and says whether it may be tried; `settle`
   * takes the count back for an attempt that turns out not to fail. An account that an
   * administrator has unlocked meanwhile (here or with `wf user unlock` in another process) is
   * tried again: a refusal is checked against the account's row first, one indexed read.
   */
  async admit(req: FastifyRequest, username: string): Promise<ThrottleRefusal | null> {
    const address = await this.limiter('address')(req);
    if (!address.isAllowed && address.isExceeded) {
      return this.refuse(req, 'address', req.ip, address.ttl);
    }
    const account = await this.limiter('account')(req);
    if (!account.isAllowed && account.isExceeded) {
      const since = this.counts.get(`account:${username}`)?.startMs ?? this.ctx.clock.now();
      if (await this.unlockedSince(username, since)) {
        // This attempt is the first of a fresh count.
        this.counts.delete(`account:${username}`);
        await this.limiter('account')(req);
      } else {
        // Not tried, so it is not a failure from this address either.
        this.uncount(`address:${req.ip}`);
        return this.refuse(req, 'account', username, account.ttl);
      }
    }
    return null;
  }

  /**
   * How an admitted attempt ended. A failure stays counted; a success starts the account's
   * count again and gives the address its attempt back; anything else (a code is asked for,
   * the server failed) is not a failed guess and is given back to both.
   */
  settle(req: FastifyRequest, username: string, outcome: 'failed' | 'succeeded' | 'other'): void {
    if (outcome === 'failed') return;
    this.uncount(`address:${req.ip}`);
    if (outcome === 'succeeded') this.counts.delete(`account:${username}`);
    else this.uncount(`account:${username}`);
  }

  /** An administrator lifted the account's lockout: its count starts again. */
  unlocked(username: string): void {
    this.counts.delete(`account:${username}`);
  }

  private uncount(key: string): void {
    const c = this.counts.get(key);
    if (c && c.count > 0) c.count -= 1;
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

  /** Whether an administrator unlocked the account after `since` (the count's start). */
  private async unlockedSince(username: string, since: number): Promise<boolean> {
    const res = await this.ctx.store.query<{ unlocked_at: Date | string | null }>(
      'select unlocked_at from users where username = $1',
      [username],
    );
    const at = res.rows[0]?.unlocked_at;
    // Unknown names stay refused, like locked ones: the reply must not tell them apart.
    return at !== undefined && at !== null && new Date(at).getTime() > since;
  }
}

/** The username a sign-in names, as the login schema normalises it (trimmed, lower case). */
function usernameOf(req: FastifyRequest): string {
  const body = req.body as { readonly username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username : '';
}
