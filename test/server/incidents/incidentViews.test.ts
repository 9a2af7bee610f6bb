import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentCameraView } from '../../../shared/api/incidents';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { agencyCamera, createCamera } from '../cameras/cameraFixtures';
import { cadIncident, configureCity, integrationKey, post } from './incidentFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe.each(STORE_KINDS)("an incident's camera views on %s", (kind) => {
  it('lists the granted views whose reason names the incident, whatever the case typed, and no others', async () => {
    t = await startTestApp(kind);
    await configureCity(t);
    const cad = await integrationKey(t, 'cad');
    const acked = await post(
      t,
      'POST',
      '/v1/ingest/cad/incidents',
      cad.key,
      cadIncident('WS-26-0042'),
    );
    const id: string = acked.json().incidents[0].id;
    const admin = await t.user('admin');
    const analyst = await t.user('analyst');
    const east = await createCamera(t, admin, agencyCamera({ name: 'Pole Camera East' }));
    const west = await createCamera(t, admin, agencyCamera({ name: 'Pole Camera West' }));
    const grant = (cameraId: string, reference: string) =>
      t!.as(analyst, 'POST', `/v1/cameras/${cameraId}/grants`, {
        reason: { code: 'active_incident', reference },
        access: 'live',
      });
    expect((await grant(east.id, 'WS-26-0042')).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await grant(west.id, 'ws-26-0042')).statusCode).toBe(200);
    expect((await grant(west.id, 'CASE-77')).statusCode).toBe(200);

    const res = await t.as(analyst, 'GET', `/v1/incidents/${id}/views`);
    expect(res.statusCode, res.body).toBe(200);
    const views = res.json().views as IncidentCameraView[];
    expect(views.map((v) => v.cameraName)).toEqual(['Pole Camera East', 'Pole Camera West']);
    expect(views[0]).toMatchObject({
      cameraId: east.id,
      viewer: analyst.username,
      reason: 'active_incident',
      access: 'live',
    });
    expect(Date.parse(views[1]!.at) - Date.parse(views[0]!.at)).toBe(60_000);
  });

  it('answers 404 for an incident it does not have, and lists nothing for an incident never viewed', async () => {
    t = await startTestApp(kind);
    await configureCity(t);
    const cad = await integrationKey(t, 'cad');
    const analyst = await t.user('analyst');
    const missing = await t.as(
      analyst,
      'GET',
      '/v1/incidents/7f0c2a8e-58c4-4c3e-9d7e-0d7b1c6f2a11/views',
    );
    expect(missing.statusCode).toBe(404);
    const acked = await post(
      t,
      'POST',
      '/v1/ingest/cad/incidents',
      cad.key,
      cadIncident('26-0099'),
    );
    const res = await t.as(analyst, 'GET', `/v1/incidents/${acked.json().incidents[0].id}/views`);
    expect(res.json()).toEqual({ views: [] });
  });
});
