import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import type { StreamGrant } from '../../../shared/api/cameras';
import {
  auditRows,
  createCamera,
  integratedCamera,
  SOURCE,
  useNewYorkTime,
} from './cameraFixtures';

const REASON = { code: 'active_incident', reference: 'INC-2026-0042' } as const;

/** A camera's PTZ control endpoint: keeps every command it is sent, with its credentials. */
async function fakePtzCamera(): Promise<{
  url: string;
  commands: { body: string; authorization: string | undefined }[];
  close(): Promise<void>;
}> {
  const commands: { body: string; authorization: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      commands.push({ body, authorization: req.headers.authorization });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ptz`,
    commands,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.each(STORE_KINDS)('PTZ commands on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let camera: Camera;
  let ptzCam: Awaited<ReturnType<typeof fakePtzCamera>>;

  const liveGrant = async (user: TestUser, cameraId: string, access = 'live') => {
    const res = await t.as(user, 'POST', `/v1/cameras/${cameraId}/grants`, {
      reason: REASON,
      access,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StreamGrant;
  };
  const steer = (user: TestUser, grantId: string, command: string) =>
    t.as(user, 'POST', `/v1/grants/${grantId}/ptz`, { command });

  beforeEach(async () => {
    ptzCam = await fakePtzCamera();
    t = await startTestApp(kind);
    await useNewYorkTime(t);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    camera = await createCamera(
      t,
      admin,
      integratedCamera(
        { ptz: true, recordings: true },
        {
          source: {
            ...SOURCE,
            protocol: 'http-ts',
            codecHint: 'h264',
            url: 'http://cam.example.test/live.ts',
            ptzUrl: ptzCam.url,
          },
        },
      ),
    );
  });
  afterEach(async () => {
    await t.close();
    await ptzCam.close();
  });

  it('sends a step to the camera under the analyst’s live grant, with the credentials on file, and audits it', async () => {
    const grant = await liveGrant(analyst, camera.id);
    const res = await steer(analyst, grant.grantId, 'left');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      grantId: grant.grantId,
      cameraId: camera.id,
      command: 'left',
    });
    expect(ptzCam.commands).toEqual([
      {
        body: '{"command":"left"}',
        authorization: `Basic ${Buffer.from(`${SOURCE.username}:${SOURCE.password}`).toString('base64')}`,
      },
    ]);
    const audit = await auditRows(t, 'camera.ptz');
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'success',
        target_id: camera.id,
        actor_id: analyst.id,
        details: { grantId: grant.grantId, command: 'left' },
      }),
    ]);
    // The control address and its credentials never come back to the console.
    expect(res.body).not.toContain('127.0.0.1');
  });

  it('refuses with 403 where the owner does not allow PTZ, audits the refusal, and sends nothing', async () => {
    const noPtz = await createCamera(
      t,
      admin,
      integratedCamera(
        { ptz: false },
        {
          name: 'Bakery front',
          source: {
            ...SOURCE,
            protocol: 'http-ts',
            codecHint: 'h264',
            url: 'http://cam2.example.test/live.ts',
            ptzUrl: ptzCam.url,
          },
        },
      ),
    );
    const grant = await liveGrant(analyst, noPtz.id);
    const res = await steer(analyst, grant.grantId, 'up');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe('Owner does not allow PTZ control of this camera.');
    expect(ptzCam.commands).toEqual([]);
    expect(await auditRows(t, 'camera.ptz')).toEqual([
      expect.objectContaining({ outcome: 'denied', target_id: noPtz.id }),
    ]);
  });

  it('refuses a role without streams.ptz with 403 before anything is sent', async () => {
    const officer = await t.user('officer');
    const grant = await liveGrant(officer, camera.id);
    const res = await steer(officer, grant.grantId, 'right');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe(
      'Your role (officer) does not allow this: it needs streams.ptz.',
    );
    expect(ptzCam.commands).toEqual([]);
  });

  it('takes commands only on the caller’s own, open, live grant', async () => {
    const other = await t.user('analyst', 'second.analyst');
    const grant = await liveGrant(analyst, camera.id);
    const byOther = await steer(other, grant.grantId, 'left');
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json().message).toBe(
      'This grant was issued to someone else: only its holder may use it.',
    );

    const recordings = await liveGrant(analyst, camera.id, 'recordings');
    const onRecordings = await steer(analyst, recordings.grantId, 'left');
    expect(onRecordings.statusCode).toBe(409);
    expect(onRecordings.json().message).toBe(
      'PTZ rides on a live view: this grant is not for live video.',
    );

    expect((await t.as(analyst, 'DELETE', `/v1/grants/${grant.grantId}`)).statusCode).toBe(200);
    const ended = await steer(analyst, grant.grantId, 'left');
    expect(ended.statusCode).toBe(409);
    expect(ended.json().message).toBe('This grant has ended: Ended by the viewer.');
    expect(ptzCam.commands).toEqual([]);
    expect(await auditRows(t, 'camera.ptz')).toEqual([]);
  });

  it('refuses a camera without PTZ with 409', async () => {
    const fixed = await createCamera(
      t,
      admin,
      integratedCamera(
        { ptz: true },
        {
          name: 'Fixed lot',
          source: {
            ...SOURCE,
            protocol: 'http-ts',
            codecHint: 'h264',
            url: 'http://cam3.example.test/live.ts',
            ptz: false,
          },
        },
      ),
    );
    const grant = await liveGrant(analyst, fixed.id);
    const res = await steer(analyst, grant.grantId, 'home');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('"Fixed lot" cannot be steered: it has no PTZ.');
  });

  it('answers 503 with the reason when the camera does not take the command', async () => {
    await ptzCam.close();
    const grant = await liveGrant(analyst, camera.id);
    const res = await steer(analyst, grant.grantId, 'zoom_in');
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toBe(
      'The camera did not take the command: the camera is unreachable. Try again.',
    );
    ptzCam = await fakePtzCamera();
  });

  it('rejects an unknown command with 400', async () => {
    const grant = await liveGrant(analyst, camera.id);
    const res = await steer(analyst, grant.grantId, 'spin');
    expect(res.statusCode).toBe(400);
    expect(ptzCam.commands).toEqual([]);
  });
});
