import { afterEach, describe, expect, it } from 'vitest';
import { eventPriority, typedEvent } from '../../../shared/api/eventCatalog';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import {
  cadIncident,
  configureCity,
  eventsOf,
  FAR_OUTSIDE,
  IN_BUFFER,
  integrationKey,
  post,
} from './incidentFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const INCIDENTS = '/v1/ingest/cad/incidents';
const ACTIVE = '/v1/ingest/cad/active';

async function setup(kind: (typeof STORE_KINDS)[number]) {
  t = await startTestApp(kind);
  await configureCity(t);
  const cad = await integrationKey(t, 'cad');
  return { t, cad };
}

describe.each(STORE_KINDS)('CAD incident ingest on %s', (kind) => {
  it('opens an incident, acknowledges after commit, announces a P1 urgently, audits the key', async () => {
    const { t, cad } = await setup(kind);
    const res = await post(t, 'POST', INCIDENTS, cad.key, {
      ...cadIncident('26-001234'),
      units: [{ id: '2A12', status: 'dispatched' }],
      somethingNew: { the: 'CAD added a field' },
    });
    expect(res.statusCode).toBe(200);
    const ack = res.json().incidents[0];
    expect(ack).toMatchObject({ number: '26-001234', created: true, changed: true });
    expect(ack).toMatchObject({ outsideJurisdiction: false, needsPlacement: false });

    const analyst = await t.user('analyst');
    const list = (await t.as(analyst, 'GET', '/v1/incidents')).json().incidents;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      number: '26-001234',
      priority: 1,
      status: 'pending',
      worked: true,
      position: { lat: 36.1, lon: -80.25 },
      units: [{ id: '2A12', status: 'dispatched' }],
      receivedAt: '2026-11-29T19:00:00.000Z',
    });

    const events = await eventsOf(t);
    expect(events.map((e) => e.type)).toEqual(['incident.opened']);
    const typed = typedEvent({ id: 1, at: '', type: events[0]!.type, payload: events[0]!.payload });
    expect(eventPriority(typed!)).toBe('urgent');

    const audit = await t.store.store.query<{ actor_id: string; actor_name: string }>(
      "select actor_id, actor_name from audit_log where action = 'incident.ingest'",
    );
    expect(audit.rows).toEqual([
      { actor_id: `integration:${cad.id}`, actor_name: 'integration:cad-feed' },
    ]);
    const admin = await t.user('admin');
    const integrations = (await t.as(admin, 'GET', '/v1/integrations')).json().integrations;
    expect(integrations[0].lastUsedAt).not.toBeNull();
  });

  it('is idempotent: the same body twice changes nothing and publishes nothing', async () => {
    const { t, cad } = await setup(kind);
    const body = cadIncident('26-000007');
    await post(t, 'POST', INCIDENTS, cad.key, body);
    const again = await post(t, 'POST', INCIDENTS, cad.key, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().incidents[0]).toMatchObject({ created: false, changed: false });
    expect((await eventsOf(t)).map((e) => e.type)).toEqual(['incident.opened']);

    // An update: new status, one new narrative line among the old one.
    const updated = await post(t, 'POST', INCIDENTS, cad.key, {
      ...body,
      status: 'on_scene',
      narrative: [
        ...body.narrative,
        { at: '2026-11-29T14:06:00-05:00', author: 'unit 2A12', text: 'On scene, one victim' },
      ],
    });
    expect(updated.json().incidents[0].changed).toBe(true);
    const closed = await post(t, 'POST', INCIDENTS, cad.key, { ...body, status: 'closed' });
    expect(closed.json().incidents[0].changed).toBe(true);
    const events = await eventsOf(t);
    expect(events.map((e) => e.type)).toEqual([
      'incident.opened',
      'incident.updated',
      'incident.closed',
    ]);
    expect(events[1]!.payload.changed).toEqual(['status', 'narrative']);

    const analyst = await t.user('analyst');
    const id = updated.json().incidents[0].id;
    const detail = (await t.as(analyst, 'GET', `/v1/incidents/${id}`)).json();
    expect(detail.statusChanges.map((s: { status: string }) => s.status)).toEqual([
      'pending',
      'on_scene',
      'closed',
    ]);
    expect(detail.narrative.map((n: { text: string }) => n.text)).toEqual([
      'RP heard 3 shots',
      'On scene, one victim',
    ]);
    expect(detail.closedAt).not.toBeNull();
    // Closed incidents fold away after the window the board asks for.
    expect((await t.as(analyst, 'GET', '/v1/incidents')).json().incidents).toHaveLength(1);
    t.clock.advance(13 * 3_600_000);
    const later = await t.user('analyst');
    expect((await t.as(later, 'GET', '/v1/incidents')).json().incidents).toHaveLength(0);
  });

  it('does not let a post that arrives late undo a newer one; its narrative is still kept', async () => {
    const { t, cad } = await setup(kind);
    const newer = cadIncident('L-1', {
      status: 'on_scene',
      updatedAt: '2026-11-29T14:10:00-05:00',
    });
    const older = cadIncident('L-1', {
      status: 'dispatched',
      updatedAt: '2026-11-29T14:05:00-05:00',
      narrative: [{ at: '2026-11-29T14:05:00-05:00', author: 'disp 3', text: '2A12 assigned' }],
    });
    await post(t, 'POST', INCIDENTS, cad.key, newer);
    const late = await post(t, 'POST', INCIDENTS, cad.key, older);
    expect(late.json().incidents[0]).toMatchObject({ stale: true, changed: true });
    const again = await post(t, 'POST', INCIDENTS, cad.key, older);
    expect(again.json().incidents[0]).toMatchObject({ stale: true, changed: false });
    const analyst = await t.user('analyst');
    const detail = (
      await t.as(analyst, 'GET', `/v1/incidents/${late.json().incidents[0].id}`)
    ).json();
    expect(detail.status).toBe('on_scene');
    expect(detail.narrative.map((n: { text: string }) => n.text)).toEqual([
      'RP heard 3 shots',
      '2A12 assigned',
    ]);
    const events = await eventsOf(t);
    expect(events.map((e) => [e.type, e.payload.changed])).toEqual([
      ['incident.opened', undefined],
      ['incident.updated', ['narrative']],
    ]);
  });

  it('reconciles a snapshot of open numbers: the rest close, once', async () => {
    const { t, cad } = await setup(kind);
    for (const n of ['A-1', 'A-2', 'A-3'])
      await post(t, 'POST', INCIDENTS, cad.key, cadIncident(n));
    const res = await post(t, 'PUT', ACTIVE, cad.key, { open: ['A-2', 'Z-9'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ closed: ['A-1', 'A-3'], unknown: ['Z-9'] });
    const again = await post(t, 'PUT', ACTIVE, cad.key, { open: ['A-2', 'Z-9'] });
    expect(again.json()).toEqual({ closed: [], unknown: ['Z-9'] });
    const types = (await eventsOf(t)).map((e) => e.type);
    expect(types.filter((x) => x === 'incident.closed')).toHaveLength(2);
    const analyst = await t.user('analyst');
    const list = (await t.as(analyst, 'GET', '/v1/incidents')).json().incidents;
    expect(list.map((i: { number: string; status: string }) => [i.number, i.status])).toEqual([
      ['A-2', 'pending'],
      ['A-1', 'closed'],
      ['A-3', 'closed'],
    ]);
  });

  it('keeps incidents outside the jurisdiction and its buffer, marked, and quiet', async () => {
    const { t, cad } = await setup(kind);
    await post(t, 'POST', INCIDENTS, cad.key, {
      ...cadIncident('OUT-1'),
      location: { position: FAR_OUTSIDE },
    });
    await post(t, 'POST', INCIDENTS, cad.key, {
      ...cadIncident('EDGE-1'),
      location: { position: IN_BUFFER },
    });
    await post(t, 'POST', INCIDENTS, cad.key, {
      ...cadIncident('QUIET-1'),
      priority: 4,
      callType: { code: 'NOISE', text: 'Noise complaint' },
    });
    const events = await eventsOf(t);
    const byNumber = new Map(events.map((e) => [e.payload.incident.number, e]));
    expect(byNumber.get('OUT-1')!.payload.incident).toMatchObject({
      outsideJurisdiction: true,
      worked: false,
    });
    expect(byNumber.get('EDGE-1')!.payload.incident).toMatchObject({
      outsideJurisdiction: false,
      worked: true,
    });
    const priorities = events.map((e) => [
      e.payload.incident.number,
      eventPriority(typedEvent({ id: 1, at: '', type: e.type, payload: e.payload })!),
    ]);
    expect(priorities).toEqual([
      ['OUT-1', 'routine'],
      ['EDGE-1', 'urgent'],
      ['QUIET-1', 'routine'],
    ]);
  });

  it('follows calls only in the hours the agency sets, by when the CAD received them', async () => {
    t = await startTestApp(kind);
    // Sunday evenings 18:00 to 02:00, New York time.
    await configureCity(t, { workedHours: [{ days: ['sun'], start: '18:00', end: '02:00' }] });
    const cad = await integrationKey(t, 'cad');
    const afternoon = cadIncident('H-1', { receivedAt: '2026-11-29T14:00:00-05:00' });
    const evening = cadIncident('H-2', { receivedAt: '2026-11-29T20:00:00-05:00' });
    const pastMidnight = cadIncident('H-3', { receivedAt: '2026-11-30T01:30:00-05:00' });
    for (const body of [afternoon, evening, pastMidnight]) {
      await post(t, 'POST', INCIDENTS, cad.key, body);
    }
    const worked = (await eventsOf(t)).map((e) => [
      e.payload.incident.number,
      e.payload.incident.worked,
    ]);
    expect(worked).toEqual([
      ['H-1', false],
      ['H-2', true],
      ['H-3', true],
    ]);
  });

  it('takes only a valid key of its own scope', async () => {
    const { t, cad } = await setup(kind);
    const lpr = await integrationKey(t, 'lpr');
    const body = cadIncident('K-1');
    expect((await post(t, 'POST', INCIDENTS, null, body)).statusCode).toBe(401);
    expect((await post(t, 'POST', INCIDENTS, 'wfi_' + 'x'.repeat(43), body)).statusCode).toBe(401);
    // A person's session is no integration key.
    const admin = await t.user('admin');
    expect((await post(t, 'POST', INCIDENTS, admin.token, body)).statusCode).toBe(401);
    const wrongScope = await post(t, 'POST', INCIDENTS, lpr.key, body);
    expect(wrongScope.statusCode).toBe(403);
    expect(wrongScope.json().message).toMatch(/"lpr"/);
    expect((await t.as(admin, 'DELETE', `/v1/integrations/${cad.id}`)).statusCode).toBe(200);
    expect((await post(t, 'POST', INCIDENTS, cad.key, body)).statusCode).toBe(401);
    expect((await eventsOf(t)).length).toBe(0);
    const denied = await t.store.store.query<{ actor_id: string }>(
      "select actor_id from audit_log where action = 'permission.denied'",
    );
    expect(denied.rows).toEqual([{ actor_id: `integration:${lpr.id}` }]);
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const { t, cad } = await setup(kind);
    const cases: [unknown, RegExp][] = [
      [{ ...cadIncident('B-1'), priority: 'high' }, /priority/],
      [{ ...cadIncident('B-1'), status: 'sleeping' }, /status/],
      [{ ...cadIncident('B-1'), location: {} }, /location/],
      [{ ...cadIncident('B-1'), location: { position: { lat: 91, lon: 0 } } }, /lat/],
      [{ ...cadIncident('B-1'), receivedAt: 'yesterday' }, /receivedAt/],
      [{ ...cadIncident('B-1'), number: '../../etc' }, /number/],
      [{ ...cadIncident('B-1'), narrative: [{ at: 'x', author: 'a', text: 't' }] }, /narrative/],
      [{ open: 'A-1' }, /callType|number/],
    ];
    for (const [body, field] of cases) {
      const res = await post(t, 'POST', INCIDENTS, cad.key, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json().message).toMatch(field);
    }
    const huge = await post(t, 'POST', INCIDENTS, cad.key, {
      ...cadIncident('B-2'),
      filler: 'x'.repeat(300 * 1024),
    });
    expect(huge.statusCode).toBe(413);
    expect((await post(t, 'PUT', ACTIVE, cad.key, { open: [1, 2] })).statusCode).toBe(400);
    const count = await t.store.store.query<{ n: number }>(
      'select count(*)::int as n from incidents',
    );
    expect(Number(count.rows[0]!.n)).toBe(0);
  });
});

describe.each(STORE_KINDS)('the console on incidents on %s', (kind) => {
  it('analysts add notes and link tips and cases; who may read and who may work', async () => {
    const { t, cad } = await setup(kind);
    const id = (await post(t, 'POST', INCIDENTS, cad.key, cadIncident('N-1'))).json().incidents[0]
      .id;
    const analyst = await t.user('analyst');
    const note = await t.as(analyst, 'POST', `/v1/incidents/${id}/notes`, {
      text: 'Camera 14 shows a grey sedan leaving north',
    });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ authorId: analyst.id, authorName: analyst.username });
    const tip = await t.as(analyst, 'POST', `/v1/incidents/${id}/links`, {
      kind: 'tip',
      ref: 'TIP-2026-0042',
    });
    expect(tip.statusCode).toBe(200);
    const again = await t.as(analyst, 'POST', `/v1/incidents/${id}/links`, {
      kind: 'tip',
      ref: 'TIP-2026-0042',
    });
    expect(again.json()).toEqual(tip.json());
    t.clock.advance(1000);
    await t.as(analyst, 'POST', `/v1/incidents/${id}/links`, { kind: 'case', ref: '26-CR-118' });
    const detail = (await t.as(analyst, 'GET', `/v1/incidents/${id}`)).json();
    expect(detail.notes.map((n: { text: string }) => n.text)).toEqual([
      'Camera 14 shows a grey sedan leaving north',
    ]);
    expect(detail.links.map((l: { kind: string; ref: string }) => `${l.kind}:${l.ref}`)).toEqual([
      'tip:TIP-2026-0042',
      'case:26-CR-118',
    ]);
    const updates = (await eventsOf(t)).filter((e) => e.type === 'incident.updated');
    expect(updates.map((e) => e.payload.changed)).toEqual([['notes'], ['links'], ['links']]);

    const supervisor = await t.user('supervisor');
    expect((await t.as(supervisor, 'GET', `/v1/incidents/${id}`)).statusCode).toBe(200);
    const refused = await t.as(supervisor, 'POST', `/v1/incidents/${id}/notes`, { text: 'x' });
    expect(refused.statusCode).toBe(403);
    const officer = await t.user('officer');
    expect((await t.as(officer, 'GET', '/v1/incidents')).statusCode).toBe(403);
    const missing = await t.as(
      analyst,
      'GET',
      '/v1/incidents/7d0c7bd5-8f36-4a55-a1a1-3a4d2a0f9b11',
    );
    expect(missing.statusCode).toBe(404);
  });
});
