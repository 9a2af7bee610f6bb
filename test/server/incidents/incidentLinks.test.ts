import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import type { TestUser } from '../../support/testApp';
import { twilioSid } from '../../../server/demo/twilioDouble';
import { startTipLineApp, type TipLineApp } from '../tips/support/tipLineApp';
import { cadIncident, configureCity, INSIDE, integrationKey, post } from './incidentFixtures';

/**
 * An incident lists what is linked to it from either side: tips and cases linked from the
 * incident, and the tips and alerts whose own record names its number.
 */
describe.each(STORE_KINDS)('incident links from both sides on %s', (kind) => {
  let t: TipLineApp;
  let analyst: TestUser;

  beforeAll(async () => {
    t = await startTipLineApp(kind);
    await configureCity(t);
    analyst = await t.user('analyst');
  });
  afterAll(() => t.close());

  it('lists a tip linked from the Tips panel and an alert linked from the tray, once each', async () => {
    const cad = await integrationKey(t, 'cad');
    const opened = await post(
      t,
      'POST',
      '/v1/ingest/cad/incidents',
      cad.key,
      cadIncident('26-007001'),
    );
    expect(opened.statusCode, opened.body).toBe(200);
    const incidentId = opened.json().incidents[0].id as string;

    const sid = twilioSid('SM');
    await t.text('+13365559001', 'The shooter ran toward the park', { messageSid: sid });
    const tipId = (
      await t.store.store.query<{ id: string }>('select id from tips where message_sid = $1', [sid])
    ).rows[0]!.id;
    const linked = await t.as(analyst, 'POST', `/v1/tips/${tipId}/links`, {
      incidentNumber: '26-007001',
    });
    expect(linked.statusCode, linked.body).toBe(200);

    const gunshot = await integrationKey(t, 'gunshot');
    const shot = await post(t, 'POST', '/v1/ingest/gunshots', gunshot.key, {
      id: 'SS-26-7001',
      time: new Date(t.clock.now() - 60_000).toISOString(),
      position: INSIDE,
      type: 'multiple',
    });
    expect(shot.statusCode, shot.body).toBe(200);
    const alertId = shot.json().alerts[0].id as string;
    const onAlert = await t.as(analyst, 'PUT', `/v1/alerts/${alertId}/incident`, {
      number: '26-007001',
    });
    expect(onAlert.statusCode, onAlert.body).toBeLessThan(300);

    // The same tip linked from the incident too is listed once.
    await t.as(analyst, 'POST', `/v1/incidents/${incidentId}/links`, { kind: 'tip', ref: tipId });

    const detail = (await t.as(analyst, 'GET', `/v1/incidents/${incidentId}`)).json();
    expect(
      detail.links.map((l: { kind: string; ref: string }) => `${l.kind}:${l.ref}`).sort(),
    ).toEqual([`alert:${alertId}`, `tip:${tipId}`].sort());
    expect(detail.links.find((l: { kind: string }) => l.kind === 'alert').linkedBy).toBe(
      'from the alert',
    );
  });
});
