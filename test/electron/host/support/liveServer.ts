import { generate, generateSecret } from 'otplib';
import { TotpCodes } from '../../../support/totpCodes';
import pino from 'pino';
import { buildApp, type App } from '../../../../server/app';
import { ManualClock } from '../../../../shared/time/clock';
import { readServerConfig, type ServerConfig } from '../../../../server/config';
import type { Role } from '../../../../shared/domain/roles';
import { createUser } from '../../../../server/users/userChanges';
import { openTestStore, type TestStore } from '../../../support/stores';

/**
 * A real RTCC server on loopback for host tests: buildApp on a fresh PGlite store, listening on a
 * port that stays the same across stop/start, so a host can watch it go away and come back.
 */
export interface LiveServer {
  readonly url: string;
  readonly clock: ManualClock;
  readonly store: TestStore;
  app(): App;
  /**
   * Creates a user, enrolled with a second factor whose secret is returned (the server requires
   * one); with `totp: false`, not yet enrolled, with the enrolment code an administrator hands out.
   */
  user(role: Role, options?: { readonly totp?: boolean }): Promise<LiveUser>;
  /** The code an authenticator app shows now (by the server's clock). */
  code(secret: string): Promise<string>;
  /** Username, password and a not-yet-used code: what a console sends to sign the user in. */
  signInArgs(user: LiveUser): Promise<{ username: string; password: string; totpCode?: string }>;
  /**
   * Signs the user in afresh (tests move the clock past any token's life) and sends one request
   * as them; a reply that is not a success throws with the server's answer.
   */
  as<T = { id: string }>(
    user: LiveUser,
    method: 'POST' | 'PATCH',
    url: string,
    payload: object,
  ): Promise<T>;
  /** Commits `n` test events; returns their ids. */
  emit(n: number, tag: string): Promise<number[]>;
  /** Stops answering (the HTTP listener closes); the data stays. */
  stop(): Promise<void>;
  /** Starts again on the same port and the same data. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface LiveUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string | null;
  readonly enrolmentCode: string;
}

export const LIVE_PASSWORD = 'a long and correct password';

export async function startLiveServer(
  options: {
    readonly https?: { key: string; cert: string };
    /** Settings over the defaults (the tip line's provider, a media folder of the test's). */
    readonly config?: Partial<ServerConfig>;
  } = {},
): Promise<LiveServer> {
  const store = await openTestStore('pglite');
  const clock = new ManualClock(Date.now());
  const config = { ...readServerConfig({}), ...options.config };
  let app: App | null = null;
  let port = 0;
  const scheme = options.https ? 'https' : 'http';
  const boot = async (): Promise<void> => {
    app = await buildApp({
      store: store.store,
      clock,
      config,
      logger: pino({ level: 'silent' }),
      https: options.https
        ? { key: Buffer.from(options.https.key), cert: Buffer.from(options.https.cert) }
        : undefined,
    });
    await app.api.listen({ host: '127.0.0.1', port });
    const addr = app.api.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    port = addr.port;
  };
  await boot();
  let n = 0;
  // Repeated sign-ins of one account move the manual clock on rather than replay a code.
  const codes = new TotpCodes(
    () => clock.now(),
    async (at) => clock.set(Math.max(clock.now(), at)),
  );
  const live: LiveServer = {
    get url() {
      return `${scheme}://127.0.0.1:${port}`;
    },
    clock,
    store,
    app: () => {
      if (!app) throw new Error('the server is stopped');
      return app;
    },
    async user(role, opts = {}) {
      n += 1;
      const current = live.app();
      const summary = await createUser(current.ctx, {
        username: `${role}${n}`,
        role,
        password: LIVE_PASSWORD,
      });
      let totpSecret: string | null = null;
      if (opts.totp ?? true) {
        totpSecret = generateSecret();
        await store.store.query('update users set totp_secret = $2 where id = $1', [
          summary.id,
          totpSecret,
        ]);
      }
      return {
        id: summary.id,
        username: summary.username,
        password: LIVE_PASSWORD,
        totpSecret,
        enrolmentCode: summary.enrolment.code,
      };
    },
    code: (secret) => generate({ secret, epoch: Math.floor(clock.now() / 1000) }),
    async signInArgs(user) {
      return {
        username: user.username,
        password: user.password,
        ...(user.totpSecret ? { totpCode: await codes.next(user.totpSecret) } : {}),
      };
    },
    async as(user, method, url, payload) {
      const login = await live.app().api.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: await this.signInArgs(user),
      });
      const res = await live.app().api.inject({
        method,
        url,
        headers: { authorization: `Bearer ${login.json().accessToken as string}` },
        payload,
      });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json() as never;
    },
    async emit(count, tag) {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        const { eventId } = await live.app().ctx.record({
          audit: { actorId: null, actorName: 'test', action: 'test.emit', outcome: 'success' },
          event: { type: 'cameras.imported', payload: { source: tag, created: i, rejected: 0 } },
        });
        ids.push(eventId!);
      }
      return ids;
    },
    async stop() {
      const current = app;
      app = null;
      await current?.close();
    },
    async start() {
      if (!app) await boot();
    },
    async close() {
      await live.stop();
      await store.dispose();
    },
  };
  return live;
}

/** Waits for a condition that a background task makes true; bounded, so a test fails rather than hangs. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
