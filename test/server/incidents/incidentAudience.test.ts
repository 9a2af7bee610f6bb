import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { cadIncident, configureCity, integrationKey, post } from './incidentFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe.each(STORE_KINDS)('incident events on %s', (kind) => {
  it('reach the roles that read incidents, and nobody else', async () => {
    t = await startTestApp(kind);
    await configureCity(t);
    const cad = await integrationKey(t, 'cad');
    await post(t, 'POST', '/v1/ingest/cad/incidents', cad.key, cadIncident('AUD-1'));
    const seen: Record<string, string[]> = {};
    for (const role of ['analyst', 'lieutenant', 'supervisor', 'officer', 'admin'] as const) {
      const u = await t.user(role);
      const res = await t.as(u, 'GET', '/v1/events?after=0');
      seen[role] = (res.json().events as { type: string }[])
        .map((e) => e.type)
        .filter((x) => x.startsWith('incident.'));
    }
    expect(seen).toEqual({
      analyst: ['incident.opened'],
      lieutenant: ['incident.opened'],
      supervisor: ['incident.opened'],
      officer: [],
      admin: [],
    });
  });

  it('the OpenAPI document says ingest routes take an integration key', async () => {
    t = await startTestApp(kind);
    const doc = (await t.app.api.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(doc.paths['/v1/ingest/cad/incidents'].post.security).toEqual([{ integrationKey: [] }]);
    expect(doc.paths['/v1/incidents'].get.security).toBeUndefined();
    expect(doc.components.securitySchemes.integrationKey).toMatchObject({ scheme: 'bearer' });
  });
});
