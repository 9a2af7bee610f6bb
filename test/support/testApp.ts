import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../server/app';
import { readServerConfig, type ServerConfig } from '../../server/config';
import { ManualClock } from '../../shared/time/clock';
import type { StoreKind } from '../../server/store/store';
import type { BackgroundTiming } from '../../server/runtime/backgroundTiming';
import type { Role } from '../../shared/domain/roles';
import { createUser } from '../../server/users/userChanges';
import type { UserSummary } from '../../shared/api/users';
import { openTestStore, type TestStore } from './stores';
import type { AuditSigningKey } from '../../server/audit/signingKey';

export interface TestUser extends UserSummary {
  readonly password: string;
  /** A valid access token for a fresh session of this user. */
  readonly token: string;
  readonly sessionId: string;
  /** The one-time code the user needs to enrol an authenticator (as an administrator hands it). */
  readonly enrolmentCode: string;
}

export interface TestApp {
  readonly app: App;
  readonly store: TestStore;
  readonly clock: ManualClock;
  /** Creates a user of the role and signs them in (a session row and an access token). */
  user(role: Role, username?: string): Promise<TestUser>;
  /** Sends a request with the user's bearer token. */
  as(
    user: TestUser,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A server on a fresh store, with a manual clock and users made to order. */
export async function startTestApp(
  kind: StoreKind,
  opts: {
    config?: Partial<ServerConfig>;
    dataDir?: string;
    timing?: Partial<BackgroundTiming>;
    auditKey?: AuditSigningKey;
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const store = await openTestStore(kind, { dataDir: opts.dataDir });
  const clock = new ManualClock(Date.now());
  // Tips' key and media stay in the test's own places, never in the working tree.
  const mediaDir = join(tmpdir(), `wf-test-media-${randomUUID()}`);
  const app = await buildApp({
    store: store.store,
    clock,
    config: {
      ...readServerConfig({}),
      tipKey: randomBytes(32).toString('hex'),
      cameraKey: randomBytes(32).toString('hex'),
      mediaDir,
      evidenceDir: join(mediaDir, 'evidence'),
      evidenceSigningKey: join(mediaDir, 'evidence-signing-key.pem'),
      ...opts.config,
    },
    logger: opts.logger ?? pino({ level: 'silent' }),
    timing: opts.timing,
    auditKey: opts.auditKey,
  });
  let n = 0;
  const t: TestApp = {
    app,
    store,
    clock,
    async user(role, username) {
      n += 1;
      const { enrolment, ...summary } = await createUser(app.ctx, {
        username: username ?? `${role}${n}`,
        role,
        password: TEST_PASSWORD,
      });
      const sessionId = randomUUID();
      const at = new Date(clock.now()).toISOString();
      await store.store.query(
        `insert into sessions (id, user_id, created_at, last_seen_at, scope)
         values ($1, $2, $3, $3, 'full')`,
        [sessionId, summary.id, at],
      );
      const { token } = await app.ctx.tokens.issue({
        userId: summary.id,
        username: summary.username,
        role: summary.role,
        sessionId,
      });
      return {
        ...summary,
        password: TEST_PASSWORD,
        token,
        sessionId,
        enrolmentCode: enrolment.code,
      };
    },
    as(user, method, url, body) {
      return app.api.inject({
        method,
        url,
        headers: { authorization: `Bearer ${user.token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
    },
    async close() {
      await app.close();
      await store.dispose();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
  return t;
}
