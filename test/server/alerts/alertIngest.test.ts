import { afterEach, describe, expect, it } from 'vitest';
import { eventPriority, typedEvent } from '../../../shared/api/eventCatalog';
import { revokeIntegration } from '../../../server/integrations/integrationChanges';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { integrationKey, post } from '../incidents/incidentFixtures';
import { alertEvents, configureAlertCity } from './alertFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const INSIDE = { lat: 36.1, lon: -80.25 };
/** About 4.5 km east of the city line: outside the 1 km buffer, well within range. */
const OUTSIDE = { lat: 36.1, lon: -80.15 };

async function setup(kind: (typeof STORE_KINDS)[number]) {
  t = await startTestApp(kind);
  await configureAlertCity(t);
  return t;
}

const minutesAgo = (t: TestApp, m: number) => new Date(t.clock.now() - m * 60_000).toISOString();

function lprHit(t: TestApp, over: Record<string, unknown> = {}) {
  return {
    id: 'read-0001',
    plate: 'abc1234',
    state: 'NC',
    confidence: 0.97,
    reader: { id: 'LPR-12', position: INSIDE },
    time: minutesAgo(t, 1),
    hotList: { name: 'Violent-Felony', entry: 'NCIC-77', reason: 'Wanted: armed robbery' },
    ...over,
  };
}

function shot(t: TestApp, over: Record<string, unknown> = {}) {
  return { id: 'SS-100', time: minutesAgo(t, 2), position: INSIDE, type: 'single', ...over };
}

const priorityOf = (e: { type: string; payload: unknown }) =>
  eventPriority(
    typedEvent({ id: 1, at: '', type: e.type, payload: e.payload as Record<string, unknown> })!,
  );

describe.each(STORE_KINDS)('alert ingest on %s', (kind) => {
  it('takes an LPR hit on a violent-felony list: urgent, acknowledged after commit, audited', async () => {
    const t = await setup(kind);
    const lpr = await integrationKey(t, 'lpr');
    const res = await post(t, 'POST', '/v1/ingest/lpr/hits', lpr.key, {
      ...lprHit(t),
      vendorExtra: { ignored: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().alerts[0]).toMatchObject({
      senderId: 'read-0001',
      created: true,
      changed: true,
      outsideJurisdiction: false,
    });
    const analyst = await t.user('analyst');
    const list = (await t.as(analyst, 'GET', '/v1/alerts')).json().alerts;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      kind: 'lpr',
      severity: 'severe',
      urgent: true,
      title: 'ABC1234 (NC) on Violent-Felony',
      position: INSIDE,
      source: { name: 'lpr-feed' },
      details: { plate: 'ABC1234', readerId: 'LPR-12', hotListEntry: 'NCIC-77' },
      acknowledged: null,
    });
    const events = await alertEvents(t);
    expect(events.map((e) => e.type)).toEqual(['alert.raised']);
    expect(priorityOf(events[0]!)).toBe('urgent');
    const audit = await t.store.store.query<{ actor_id: string }>(
      "select actor_id from audit_log where action = 'alert.ingest'",
    );
    expect(audit.rows).toEqual([{ actor_id: `integration:${lpr.id}` }]);
  });

  it('a hit on another list is notable, and the same hit again changes nothing', async () => {
    const t = await setup(kind);
    const lpr = await integrationKey(t, 'lpr');
    const body = lprHit(t, { hotList: { name: 'stolen-vehicle', reason: 'Stolen 2026-11-02' } });
    await post(t, 'POST', '/v1/ingest/lpr/hits', lpr.key, body);
    const again = await post(t, 'POST', '/v1/ingest/lpr/hits', lpr.key, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().alerts[0]).toMatchObject({ created: false, changed: false });
    const events = await alertEvents(t);
    expect(events).toHaveLength(1);
    expect(priorityOf(events[0]!)).toBe('notable');
    expect(events[0]!.payload.alert.severity).toBe('moderate');
  });

  it('revises a gunshot by its id: single to multiple escalates; a late older revision is not applied', async () => {
    const t = await setup(kind);
    const gs = await integrationKey(t, 'gunshot');
    const first = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t),
      updatedAt: minutesAgo(t, 2),
    });
    expect(first.statusCode).toBe(200);
    const revised = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t),
      type: 'multiple',
      rounds: 6,
      updatedAt: minutesAgo(t, 1),
    });
    expect(revised.json().alerts[0]).toMatchObject({ created: false, changed: true });
    const late = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t),
      updatedAt: minutesAgo(t, 2),
    });
    expect(late.json().alerts[0]).toMatchObject({ stale: true, changed: false });
    // The same facts at a newer time change nothing, but an older revision stays stale after.
    const same = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t),
      type: 'multiple',
      rounds: 6,
      updatedAt: minutesAgo(t, 0.5),
    });
    expect(same.json().alerts[0]).toMatchObject({ stale: false, changed: false });
    const between = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t),
      updatedAt: minutesAgo(t, 0.75),
    });
    expect(between.json().alerts[0]).toMatchObject({ stale: true, changed: false });

    const events = await alertEvents(t);
    expect(events.map((e) => e.type)).toEqual(['alert.raised', 'alert.updated']);
    expect(priorityOf(events[0]!)).toBe('notable');
    expect(events[1]!.payload).toMatchObject({ escalated: true });
    expect(priorityOf(events[1]!)).toBe('urgent');
    const analyst = await t.user('analyst');
    const [alert] = (await t.as(analyst, 'GET', '/v1/alerts')).json().alerts;
    expect(alert).toMatchObject({
      revision: 1,
      severity: 'extreme',
      title: 'Multiple gunshots (6 rounds)',
      details: { type: 'multiple', rounds: 6 },
    });
  });

  it('keeps an alert outside the jurisdiction but never announces it', async () => {
    const t = await setup(kind);
    const gs = await integrationKey(t, 'gunshot');
    const res = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t, { type: 'multiple', position: OUTSIDE }),
    });
    expect(res.json().alerts[0].outsideJurisdiction).toBe(true);
    const events = await alertEvents(t);
    expect(events[0]!.payload.alert).toMatchObject({ outsideJurisdiction: true, urgent: true });
    expect(priorityOf(events[0]!)).toBe('routine');
  });

  it('refuses with a 400 naming the field, and keeps nothing of the batch', async () => {
    const t = await setup(kind);
    const gs = await integrationKey(t, 'gunshot');
    const cases: [unknown, string][] = [
      [{ ...shot(t), position: { lat: 'north', lon: -80.2 } }, 'body.position.lat'],
      [{ ...shot(t), type: 'Indoor_Gunshot' }, 'body.type'],
      [{ ...shot(t), time: '10/5/2015' }, 'body.time'],
      [{ id: 'x', time: minutesAgo(t, 1), position: INSIDE }, 'body.type'],
    ];
    for (const [body, path] of cases) {
      const res = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json().issues)).toContain(path.replace('body.', ''));
    }
    const batch = await post(t, 'POST', '/v1/ingest/gunshots/batch', gs.key, {
      detections: [
        shot(t, { id: 'ok-1' }),
        shot(t, { id: 'sign', position: { lat: 36.1, lon: 80.25 } }),
        shot(t, { id: 'old', time: '2001-06-01T00:00:00-05:00' }),
        shot(t, { id: 'future', time: new Date(t.clock.now() + 3_600_000).toISOString() }),
      ],
    });
    expect(batch.statusCode).toBe(400);
    const issues = batch.json().issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual([
      'body.detections.1.position',
      'body.detections.2.time',
      'body.detections.3.time',
    ]);
    expect(issues[0]!.message).toMatch(/minus sign missing/);
    expect(issues[1]!.message).toMatch(/days old; this agency takes records up to 30 days old/);
    expect(issues[2]!.message).toBe('the time is in the future');
    expect(await alertEvents(t)).toEqual([]);

    const huge = await post(t, 'POST', '/v1/ingest/gunshots', gs.key, {
      ...shot(t),
      padding: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('takes a CAP alert with a circle or a polygon, and refuses DOCTYPE and entities', async () => {
    const t = await setup(kind);
    const cap = await integrationKey(t, 'cap');
    const send = (xml: string, type = 'application/cap+xml') =>
      t.app.api.inject({
        method: 'POST',
        url: '/v1/ingest/cap',
        headers: { authorization: `Bearer ${cap.key}`, 'content-type': type },
        payload: xml,
      });
    const sent = new Date(t.clock.now() - 60_000).toISOString().replace(/\.\d+Z$/, '-00:00');
    const capXml = (id: string, area: string, severity = 'Extreme') => `<?xml version="1.0"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${id}</identifier><sender>acoustic@sensors.example</sender><sent>${sent}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Safety</category><event>Glass break &amp; alarm</event>
    <urgency>Immediate</urgency><severity>${severity}</severity><certainty>Observed</certainty>
    <headline>Glass break at 4th &amp; Main</headline>
    <area><areaDesc>4th and Main</areaDesc>${area}</area></info>
</alert>`;
    const circle = await send(capXml('A-1', '<circle>36.1,-80.25 0.05</circle>'));
    expect(circle.statusCode).toBe(200);
    const polygon = await send(
      capXml(
        'A-2',
        '<polygon>36.10,-80.26 36.10,-80.24 36.12,-80.24 36.12,-80.26 36.10,-80.26</polygon>',
        'Moderate',
      ),
      'text/xml',
    );
    expect(polygon.statusCode).toBe(200);
    expect(
      (await send(capXml('A-1', '<circle>36.1,-80.25 0.05</circle>'))).json().alerts[0],
    ).toMatchObject({
      created: false,
      changed: false,
    });
    const analyst = await t.user('analyst');
    const alerts = (await t.as(analyst, 'GET', '/v1/alerts')).json().alerts as {
      senderId: string;
      position: unknown;
      severity: string;
      urgent: boolean;
      title: string;
      revision: number;
      details: { radiusM: number | null };
    }[];
    const a1 = alerts.find((a) => a.senderId.includes('A-1'))!;
    expect(a1).toMatchObject({
      senderId: `acoustic@sensors.example,A-1,${sent}`,
      position: { lat: 36.1, lon: -80.25 },
      severity: 'extreme',
      urgent: true,
      title: 'Glass break at 4th & Main',
      details: { radiusM: 50 },
    });
    const a2 = alerts.find((a) => a.senderId.includes('A-2'))!;
    expect(a2.position).toEqual({ lat: 36.11, lon: -80.25 });
    expect(a2.urgent).toBe(false);

    // An update and a cancel revise the alert they reference; an Ack is not an alert.
    const ref = `acoustic@sensors.example,A-1,${sent}`;
    const update = capXml('A-1u', '<circle>36.1,-80.25 0.05</circle>', 'Moderate').replace(
      '<msgType>Alert</msgType>',
      `<msgType>Update</msgType><references>${ref}</references>`,
    );
    expect((await send(update)).json().alerts[0]).toMatchObject({
      senderId: ref,
      created: false,
      changed: true,
    });
    expect((await send(update)).json().alerts[0]).toMatchObject({ changed: false });
    const cancel = update
      .replace('<identifier>A-1u</identifier>', '<identifier>A-1c</identifier>')
      .replace('<msgType>Update</msgType>', '<msgType>Cancel</msgType>');
    expect((await send(cancel)).json().alerts[0]).toMatchObject({ senderId: ref, changed: true });
    const revisedA1 = (
      (await t.as(analyst, 'GET', '/v1/alerts')).json().alerts as typeof alerts
    ).filter((a) => a.senderId === ref);
    expect(revisedA1).toHaveLength(1);
    expect(revisedA1[0]).toMatchObject({
      severity: 'moderate',
      urgent: false,
      title: 'Cancelled: Glass break at 4th & Main',
      revision: 2,
    });
    const ackMessage = await send(
      capXml('A-9', '').replace('<msgType>Alert</msgType>', '<msgType>Ack</msgType>'),
    );
    expect(ackMessage.statusCode).toBe(400);
    expect(ackMessage.json().issues[0].path).toBe('body.alert.msgType');

    const before = (await alertEvents(t)).length;
    const doctype = await send(
      `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert><identifier>&x;</identifier></alert>`,
    );
    expect(doctype.statusCode).toBe(400);
    expect(doctype.json().message).toMatch(/DOCTYPE or entity declaration is refused/);
    const laughs = await send(
      `<!ENTITY a "aaaaaaaaaa"><alert><identifier>&a;&a;&a;</identifier></alert>`,
    );
    expect(laughs.statusCode).toBe(400);
    const missing = await send(capXml('A-3', '').replace(/<sender>.*<\/sender>/, ''));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues[0].path).toBe('body.alert.sender');
    const badCircle = await send(capXml('A-4', '<circle>36.1 -80.25</circle>'));
    expect(badCircle.statusCode).toBe(400);
    expect(badCircle.json().issues[0].path).toBe('body.alert.info.area.0.circle');
    const json = await post(t, 'POST', '/v1/ingest/cap', cap.key, { alert: 'as JSON' });
    expect(json.statusCode).toBe(400);
    expect((await alertEvents(t)).length).toBe(before);
  });

  it('lets an analyst acknowledge once with a note and link an incident number', async () => {
    const t = await setup(kind);
    const gs = await integrationKey(t, 'gunshot');
    const id = (await post(t, 'POST', '/v1/ingest/gunshots', gs.key, shot(t))).json().alerts[0].id;
    const analyst = await t.user('analyst');
    const ack = await t.as(analyst, 'POST', `/v1/alerts/${id}/acknowledgement`, {
      note: 'Units en route, cameras up',
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledged).toMatchObject({
      by: analyst.username,
      note: 'Units en route, cameras up',
    });
    const twice = await t.as(analyst, 'POST', `/v1/alerts/${id}/acknowledgement`, { note: '' });
    expect(twice.statusCode).toBe(409);
    const link = await t.as(analyst, 'PUT', `/v1/alerts/${id}/incident`, { number: '26-001234' });
    expect(link.json().incidentNumber).toBe('26-001234');
    const officer = await t.user('officer');
    expect((await t.as(officer, 'GET', '/v1/alerts')).statusCode).toBe(403);
    const missing = await t.as(
      analyst,
      'POST',
      '/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledgement',
      { note: '' },
    );
    expect(missing.statusCode).toBe(404);
    const events = await alertEvents(t);
    expect(events.map((e) => [e.type, e.payload.changed])).toEqual([
      ['alert.raised', undefined],
      ['alert.updated', ['acknowledged']],
      ['alert.updated', ['incident']],
    ]);
  });

  it('refuses a wrong key, a revoked key and a key of another scope', async () => {
    const t = await setup(kind);
    const gs = await integrationKey(t, 'gunshot');
    const lpr = await integrationKey(t, 'lpr');
    expect((await post(t, 'POST', '/v1/ingest/gunshots', 'wf_int_nope', shot(t))).statusCode).toBe(
      401,
    );
    expect((await post(t, 'POST', '/v1/ingest/gunshots', lpr.key, shot(t))).statusCode).toBe(403);
    await revokeIntegration(t.app.ctx, gs.id, SYSTEM_ACTOR);
    expect((await post(t, 'POST', '/v1/ingest/gunshots', gs.key, shot(t))).statusCode).toBe(401);
    expect(await alertEvents(t)).toEqual([]);
  });
});
