import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { TestApp } from '../../support/testApp';

/** Helpers the auth and user tests share: requests as a client without a token would send them. */

export function login(t: TestApp, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return t.app.api.inject({ method: 'POST', url: '/v1/auth/login', payload: body });
}

export function refresh(t: TestApp, refreshToken: unknown): Promise<LightMyRequestResponse> {
  return t.app.api.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
}

export function withToken(
  t: TestApp,
  token: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.api.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

/** The code an authenticator app would show at the test clock's current time. */
export function codeAt(t: TestApp, secret: string, offsetMs = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor((t.clock.now() + offsetMs) / 1000) });
}

export interface AuditRowLite {
  readonly action: string;
  readonly outcome: string;
  readonly actor_id: string | null;
  readonly target_id: string | null;
  readonly details: Record<string, unknown>;
}

export async function auditRows(t: TestApp, action: string): Promise<AuditRowLite[]> {
  const res = await t.store.store.query<AuditRowLite>(
    'select action, outcome, actor_id, target_id, details from audit_log where action = $1 order by id',
    [action],
  );
  return res.rows;
}

export async function countRows(t: TestApp, table: string): Promise<number> {
  const res = await t.store.store.query<{ n: number | string }>(
    `select count(*) as n from ${table}`,
  );
  return Number(res.rows[0]!.n);
}
