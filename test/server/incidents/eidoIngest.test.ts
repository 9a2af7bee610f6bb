import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { configureCity, eventsOf, integrationKey, post } from './incidentFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const EIDO = '/v1/ingest/cad/eido';

const pidf = (shape: string) => `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"
  xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0"
  xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" entity="pres:cad@example.org">
  <tuple id="loc"><status><gp:geopriv><gp:location-info>${shape}</gp:location-info>
  <gp:usage-rules/></gp:geopriv></status></tuple>
</presence>`;

const CIRCLE = `<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326">
  <gml:pos>36.0987 -80.2441</gml:pos>
  <gs:radius uom="urn:ogc:def:uom:EPSG::9001">25</gs:radius></gs:Circle>
  <ca:civicAddress><ca:HNO>101</ca:HNO><ca:RD>N Main</ca:RD><ca:STS>St</ca:STS>
  <ca:A3>Test City</ca:A3><ca:A1>NC</ca:A1></ca:civicAddress>`;

/** One incident as an EIDO from a CAD that writes `lastUpdateTimestamp` and single objects. */
function eido(over: Record<string, unknown> = {}) {
  return {
    $id: 'urn:uuid:5f0a4c1e-0b7e-4c38-9a77-2c1f0f3b8e01',
    lastUpdateTimestamp: '2026-11-29T14:10:00-05:00',
    incidentComponent: {
      componentIdentifier: 'inc-1',
      incidentTrackingIdentifier: 'E26-5501',
      incidentTypeCommonRegistryText: 'Robbery',
      incidentTypeLocalRegistryText: 'ROBBERY',
      incidentStatusCommonRegistryText: 'Dispatched',
      incidentPriority: 2,
      incidentCreationTimeStamp: '2026-11-29T14:02:00-05:00',
      locationReference: { $ref: 'loc-1' },
      vendorExtension: { ignored: true },
    },
    locationComponent: [{ $id: 'loc-1', locationByValue: pidf(CIRCLE) }],
    notesComponent: [
      {
        componentIdentifier: 'note-1',
        noteText: 'Suspect fled on foot toward 4th St',
        noteDateTimeStamp: '2026-11-29T14:03:00-05:00',
        authorReference: { $ref: 'person-calltaker-7' },
      },
    ],
    dispatchComponent: { componentIdentifier: 'd-1', unitIdentifier: '3B21' },
    agencyComponent: [{ $id: 'agency-1', agencyName: 'Test City Police' }],
    ...over,
  };
}

async function setup(kind: (typeof STORE_KINDS)[number]) {
  t = await startTestApp(kind);
  await configureCity(t);
  const cad = await integrationKey(t, 'cad');
  const analyst = await t.user('analyst');
  return { t, cad, analyst };
}

describe.each(STORE_KINDS)('NENA EIDO ingest on %s', (kind) => {
  it('reads incident, PIDF-LO circle, civic address, notes and units; twice is once', async () => {
    const { t, cad, analyst } = await setup(kind);
    const res = await post(t, 'POST', EIDO, cad.key, eido());
    expect(res.statusCode).toBe(200);
    expect(res.json().incidents[0]).toMatchObject({
      number: 'E26-5501',
      created: true,
      needsPlacement: false,
    });
    const id = res.json().incidents[0].id;
    const detail = (await t.as(analyst, 'GET', `/v1/incidents/${id}`)).json();
    expect(detail).toMatchObject({
      callType: { code: 'ROBBERY', text: 'Robbery' },
      priority: 2,
      status: 'dispatched',
      position: { lat: 36.0987, lon: -80.2441 },
      radiusM: 25,
      address: '101 N Main St Test City NC',
      worked: true,
      units: [{ id: '3B21', status: 'dispatched' }],
      receivedAt: '2026-11-29T19:02:00.000Z',
    });
    expect(detail.narrative).toEqual([
      {
        at: '2026-11-29T19:03:00.000Z',
        author: 'person-calltaker-7',
        text: 'Suspect fled on foot toward 4th St',
      },
    ]);
    const again = await post(t, 'POST', EIDO, cad.key, eido());
    expect(again.json().incidents[0]).toMatchObject({ created: false, changed: false });
    expect((await eventsOf(t)).map((e) => e.type)).toEqual(['incident.opened']);
    const audit = await t.store.store.query<{ target_id: string }>(
      "select target_id from audit_log where action = 'incident.ingest'",
    );
    expect(audit.rows.map((r) => r.target_id)).toEqual([
      'urn:uuid:5f0a4c1e-0b7e-4c38-9a77-2c1f0f3b8e01',
      'urn:uuid:5f0a4c1e-0b7e-4c38-9a77-2c1f0f3b8e01',
    ]);
  });

  it('takes components as arrays, either time spelling; a civic address alone needs placing', async () => {
    const { t, cad, analyst } = await setup(kind);
    const res = await post(t, 'POST', EIDO, cad.key, {
      eidoMessageIdentifier: 'msg-2',
      lastUpdateTimeStamp: '2026-11-29T15:00:00Z',
      incidentComponent: [
        {
          $id: 'inc-a',
          incidentTrackingIdentifier: 'E26-6001',
          incidentTypeCommonRegistryText: 'Suspicious Person',
          incidentStatusCommonRegistryText: 'Received',
          locationReference: 'loc-a',
        },
        {
          $id: 'inc-b',
          incidentTrackingIdentifier: 'E26-6002',
          incidentTypeCommonRegistryText: 'Traffic Collision',
          incidentStatusCommonRegistryText: ['On Scene'],
          locationReference: [{ $ref: 'loc-b' }],
        },
      ],
      locationComponent: [
        { $id: 'loc-a', locationAddressText: '500 W 4th St, Test City' },
        {
          $id: 'loc-b',
          locationByValue: pidf('<gml:Point><gml:pos>36.11 -80.26</gml:pos></gml:Point>'),
        },
      ],
      notesComponent: {
        $id: 'n-b',
        notesActionComments: ['Two cars, no injuries'],
        incidentReference: { $ref: 'inc-b' },
      },
    });
    expect(res.statusCode).toBe(200);
    const [a, b] = res.json().incidents;
    expect(a).toMatchObject({ number: 'E26-6001', needsPlacement: true });
    expect(b).toMatchObject({ number: 'E26-6002', needsPlacement: false });
    const da = (await t.as(analyst, 'GET', `/v1/incidents/${a.id}`)).json();
    expect(da).toMatchObject({
      address: '500 W 4th St, Test City',
      position: null,
      priority: null,
      status: 'pending',
      worked: false,
      narrative: [],
    });
    const db = (await t.as(analyst, 'GET', `/v1/incidents/${b.id}`)).json();
    expect(db.status).toBe('on_scene');
    expect(db.narrative.map((n: { text: string; at: string }) => [n.text, n.at])).toEqual([
      ['Two cars, no injuries', '2026-11-29T15:00:00.000Z'],
    ]);
  });

  it('refuses PIDF-LO with a DOCTYPE, external entities or entity expansion, and bad XML', async () => {
    const { t, cad } = await setup(kind);
    const hostile = [
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
       <presence><gml:Point><gml:pos>&xxe;</gml:pos></gml:Point></presence>`,
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">
       <!ENTITY lol3 "&lol2;&lol2;&lol2;">]><presence><civicAddressText>&lol3;</civicAddressText></presence>`,
      `<?xml version="1.0"?><!doctype presence SYSTEM "http://127.0.0.1:9/evil.dtd"><presence/>`,
    ];
    for (const xml of hostile) {
      const body = eido({ locationComponent: [{ $id: 'loc-1', locationByValue: xml }] });
      const res = await post(t, 'POST', EIDO, cad.key, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/locationComponent\[0\]\.locationByValue: a DOCTYPE/);
    }
    const broken = eido({
      locationComponent: [{ $id: 'loc-1', locationByValue: '<presence><gml:Point></presence>' }],
    });
    const res = await post(t, 'POST', EIDO, cad.key, broken);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/not well-formed XML/);
    const badPos = eido({
      locationComponent: [
        { $id: 'loc-1', locationByValue: pidf('<gml:Point><gml:pos>north</gml:pos></gml:Point>') },
      ],
    });
    expect((await post(t, 'POST', EIDO, cad.key, badPos)).json().message).toMatch(/gml:pos/);
    const count = await t.store.store.query<{ n: number }>(
      'select count(*)::int as n from incidents',
    );
    expect(Number(count.rows[0]!.n)).toBe(0);
  });

  it('names the field of a bad EIDO', async () => {
    const { t, cad } = await setup(kind);
    const noNumber = eido({ incidentComponent: { incidentTypeCommonRegistryText: 'Robbery' } });
    const r1 = await post(t, 'POST', EIDO, cad.key, noNumber);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().message).toMatch(/incidentComponent\[0\]\.incidentTrackingIdentifier/);
    const badTime = eido({ lastUpdateTimestamp: 'half past two' });
    expect((await post(t, 'POST', EIDO, cad.key, badTime)).json().message).toMatch(
      /lastUpdateTimeStamp/,
    );
    const wrongType = eido({ incidentComponent: 'E26-1' });
    const r3 = await post(t, 'POST', EIDO, cad.key, wrongType);
    expect(r3.statusCode).toBe(400);
    expect(r3.json().message).toMatch(/incidentComponent/);
    const badPriority = eido({
      incidentComponent: { incidentTrackingIdentifier: 'E1', incidentPriority: 'urgent' },
    });
    expect((await post(t, 'POST', EIDO, cad.key, badPriority)).json().message).toMatch(
      /incidentPriority/,
    );
    const huge = eido({ filler: 'x'.repeat(1100 * 1024) });
    expect((await post(t, 'POST', EIDO, cad.key, huge)).statusCode).toBe(413);
  });
});
