import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../support/testApp';
import type { NewCamera } from '../../../shared/domain/cameras';
import type { PullDetail } from '../../../shared/domain/pulls';
import {
  agencyCamera,
  createCamera,
  integratedCamera,
  registeredCamera,
} from '../cameras/cameraFixtures';

/** Wednesday 25 November 2026, 10:00 in Winston-Salem (America/New_York). */
export const WEDNESDAY_10AM = Date.parse('2026-11-25T15:00:00Z');

/** Where the officer asked about. */
export const SCENE = { lat: 36.0999, lon: -80.2442 };

/** Metres per degree of latitude on the sphere the radius search uses. */
const M_PER_DEG_LAT = (Math.PI / 180) * 6371008.8;

/** A point `m` metres due north of the scene. */
export const north = (m: number) => ({ lat: SCENE.lat + m / M_PER_DEG_LAT, lng: SCENE.lon });

/** The cameras around the scene, each a case of the candidate rules. */
export async function sceneCameras(t: TestApp, admin: TestUser) {
  const make = (camera: NewCamera) => createCamera(t, admin, camera);
  return {
    shared: await make(
      integratedCamera({ mode: 'always', recordings: true }, { name: 'Shared lot', ...north(100) }),
    ),
    liveOnly: await make(
      integratedCamera({ mode: 'always', recordings: false }, { name: 'Live only', ...north(150) }),
    ),
    mornings: await make(
      integratedCamera(
        {
          mode: 'schedule',
          recordings: true,
          windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '12:00' }],
        },
        { name: 'Weekday mornings', ...north(180) },
      ),
    ),
    traffic: await make(agencyCamera({ name: 'Traffic cam', ...north(200) })),
    doorbell: await make(registeredCamera({ name: 'Doorbell', ...north(250) })),
    edgeIn: await make(registeredCamera({ name: 'Edge inside', ...north(299) })),
    edgeOut: await make(registeredCamera({ name: 'Edge outside', ...north(301) })),
  };
}

/** A valid radio request: the last half hour before 10:00, for a case. */
export function radioPull(over: Record<string, unknown> = {}) {
  return {
    requester: { name: 'Ofc. Dana Reyes', badge: '4471', unit: '2B12' },
    caseNumber: '2026-004512',
    position: SCENE,
    address: '100 N Main St',
    windowStart: new Date(WEDNESDAY_10AM - 90 * 60_000).toISOString(),
    windowEnd: new Date(WEDNESDAY_10AM - 60 * 60_000).toISOString(),
    lookFor: 'Grey sedan leaving north on Main St',
    urgency: 'priority',
    ...over,
  };
}

export async function logPull(
  t: TestApp,
  analyst: TestUser,
  body: Record<string, unknown>,
): Promise<PullDetail> {
  const res = await t.as(analyst, 'POST', '/v1/pulls', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as PullDetail;
}
