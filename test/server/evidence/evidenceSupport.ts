import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CameraSimulator } from '../../../electron/host/simulator/index';
import type { StoreKind } from '../../../server/store/store';
import type { Camera, NewCamera } from '../../../shared/domain/cameras';
import type { SharingPolicy } from '../../../shared/domain/sharingPolicy';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { createCamera, integratedCamera, useNewYorkTime } from '../cameras/cameraFixtures';

/** Credentials of the demo recordings source: they must never come back out. */
export const RECORDINGS_PASSWORD = 'Nvr-Pass-Very-Secret-7';

export interface EvidenceWorld {
  readonly t: TestApp;
  readonly sim: CameraSimulator;
  readonly admin: TestUser;
  readonly analyst: TestUser;
  readonly lieutenant: TestUser;
  readonly officer: TestUser;
  /** Shares live and recordings always. */
  readonly always: Camera;
  /** Shares recordings Monday to Friday, 08:00-18:00 New York time. */
  readonly weekdays: Camera;
  /** Shares live only. */
  readonly liveOnly: Camera;
  close(): Promise<void>;
}

/** The simulator's recordings endpoint for a camera, as an NVR's URL template. */
export function recordingsTemplate(sim: CameraSimulator, name: string): string {
  return `${sim.urlFor(name).replace('/cameras/', '/recordings/').replace(/\.ts$/, '.mp4')}?start={start}&end={end}`;
}

/** A server with the demo camera simulator as the cameras' recordings source. */
export async function startEvidenceWorld(kind: StoreKind): Promise<EvidenceWorld> {
  const simDir = await mkdtemp(join(tmpdir(), 'wf-evidence-sim-'));
  const sim = new CameraSimulator({ dataDir: simDir });
  await sim.start();
  const t = await startTestApp(kind);
  await useNewYorkTime(t);
  const admin = await t.user('admin');
  let n = 0;
  const camera = (name: string, sharing: Partial<SharingPolicy>): Promise<Camera> =>
    createCamera(
      t,
      admin,
      integratedCamera(sharing, {
        name,
        lat: 36.0985 + 0.001 * ++n,
        recordings: {
          urlTemplate: recordingsTemplate(sim, name),
          username: 'nvr',
          password: RECORDINGS_PASSWORD,
        },
      } as Partial<NewCamera>),
    );
  const always = await camera('Corner Market 1', { recordings: true });
  const weekdays = await camera('Pharmacy 2', {
    mode: 'schedule',
    recordings: true,
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
  });
  const liveOnly = await camera('Diner 3', { recordings: false });
  return {
    t,
    sim,
    admin,
    analyst: await t.user('analyst'),
    lieutenant: await t.user('lieutenant'),
    officer: await t.user('officer'),
    always,
    weekdays,
    liveOnly,
    async close() {
      await t.close();
      await sim.stop();
      await rm(simDir, { recursive: true, force: true });
    },
  };
}

export const CASE = '2026-004512';

export function fetchBody(cameraId: string, start: string, end: string, extra = {}) {
  return { caseNumber: CASE, cameraId, start, end, reason: 'camera_pull', ...extra };
}
