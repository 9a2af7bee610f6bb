import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../support/testApp';
import type { Camera, NewCamera } from '../../../shared/domain/cameras';
import type { SharingPolicy } from '../../../shared/domain/sharingPolicy';
import { setAgency, UNCONFIGURED_AGENCY } from '../../../server/agency/agencyRepository';
import { listEventsAfter } from '../../../server/events/eventHub';
import type { ServerEvent } from '../../../shared/api/events';

/** Secrets that must never appear in anything but a grant or an audited reveal. */
export const OWNER = {
  name: 'Olivia Quartermain',
  phone: '336-555-0142',
  email: 'olivia.quartermain@example.test',
};
export const SOURCE = {
  protocol: 'rtsp' as const,
  url: 'rtsp://cam-7.example.test:554/Streaming/Channels/101',
  username: 'viewer-7',
  password: 'Hunter2-Very-Secret',
  substreamUrl: 'rtsp://cam-7.example.test:554/Streaming/Channels/102',
  ptz: true,
};

export const WINSTON_SALEM = { lat: 36.0999, lng: -80.2442 };

export function registeredCamera(overrides: Partial<NewCamera> = {}): NewCamera {
  return {
    kind: 'registered',
    name: 'Corner store doorbell',
    lat: 36.1001,
    lng: -80.2441,
    address: '100 N Main St',
    owner: OWNER,
    retentionDays: 14,
    ...overrides,
  } as NewCamera;
}

export function integratedCamera(
  sharing: Partial<SharingPolicy> = {},
  overrides: Partial<NewCamera> = {},
): NewCamera {
  return {
    kind: 'integrated',
    name: 'Pharmacy lot',
    lat: 36.0985,
    lng: -80.246,
    owner: OWNER,
    source: SOURCE,
    sharing: { mode: 'always', ...sharing },
    ...overrides,
  } as NewCamera;
}

export function agencyCamera(overrides: Partial<NewCamera> = {}): NewCamera {
  return {
    kind: 'agency',
    name: 'Traffic cam 4th & Main',
    lat: 36.0995,
    lng: -80.2435,
    source: { ...SOURCE, url: 'rtsp://traffic-4.example.test/live', password: 'city-pass-4' },
    ...overrides,
  } as NewCamera;
}

export async function createCamera(
  t: TestApp,
  admin: TestUser,
  camera: NewCamera,
): Promise<Camera> {
  const res = await t.as(admin, 'POST', '/v1/cameras', camera);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Camera;
}

/** The agency's clock: the Winston-Salem demo's zone. */
export async function useNewYorkTime(t: TestApp): Promise<void> {
  await setAgency(
    t.store.store,
    { ...UNCONFIGURED_AGENCY, timeZone: 'America/New_York' },
    new Date(t.clock.now()),
  );
}

export async function eventsOfType(t: TestApp, type: string): Promise<ServerEvent[]> {
  const all = await listEventsAfter(t.store.store, 0, 10_000);
  return all.filter((e) => e.type === type);
}

export interface AuditRowLite {
  action: string;
  outcome: string;
  target_type: string | null;
  target_id: string | null;
  actor_id: string | null;
  details: Record<string, unknown>;
}

export async function auditRows(t: TestApp, action: string): Promise<AuditRowLite[]> {
  const res = await t.store.store.query<AuditRowLite>(
    'select action, outcome, target_type, target_id, actor_id, details from audit_log where action = $1 order by id',
    [action],
  );
  return res.rows;
}

export async function countRows(t: TestApp, table: string): Promise<number> {
  const res = await t.store.store.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return Number(res.rows[0]!.n);
}

/** Sends a raw body with a content type (t.as only sends JSON). */
export function sendRaw(
  t: TestApp,
  user: TestUser,
  method: 'POST' | 'PATCH',
  url: string,
  payload: string,
  contentType: string,
): Promise<LightMyRequestResponse> {
  return t.app.api.inject({
    method,
    url,
    headers: { authorization: `Bearer ${user.token}`, 'content-type': contentType },
    payload,
  });
}

/**
 * The same user, signed in at the clock's current time: a fresh access token (they last five
 * minutes) and a session seen now, so that tests can move the clock by hours.
 */
export async function freshen(t: TestApp, user: TestUser): Promise<TestUser> {
  await t.store.store.query(
    'update sessions set created_at = $2, last_seen_at = $2 where id = $1',
    [user.sessionId, new Date(t.clock.now()).toISOString()],
  );
  const { token } = await t.app.ctx.tokens.issue({
    userId: user.id,
    username: user.username,
    role: user.role,
    sessionId: user.sessionId,
  });
  return { ...user, token };
}
