import type { LightMyRequestResponse } from 'fastify';
import { setAgency } from '../../../server/agency/agencyRepository';
import { TEST_CITY } from '../../support/testCity';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { createIntegration } from '../../../server/integrations/integrationChanges';
import type { IncidentPolicy } from '../../../shared/domain/agency';
import type { IngestScope } from '../../../shared/domain/roles';
import type { TestApp } from '../../support/testApp';

/** A square city around (36.10, -80.25), about 9 by 11 km, that follows P1-2 and SHOTS calls. */
export async function configureCity(
  t: TestApp,
  policy: Partial<IncidentPolicy> = {},
): Promise<void> {
  await setAgency(
    t.store.store,
    {
      ...TEST_CITY,
      incidents: {
        workedPriorities: [1, 2],
        workedCallTypes: ['SHOTS'],
        workedHours: [],
        jurisdictionBufferM: 1000,
        ...policy,
      },
    },
    new Date(),
  );
}

export async function integrationKey(
  t: TestApp,
  scope: IngestScope,
  name: string = `${scope}-feed`,
): Promise<{ id: string; key: string }> {
  const made = await createIntegration(t.app.ctx, { name, scope }, SYSTEM_ACTOR);
  return { id: made.id, key: made.key };
}

export function post(
  t: TestApp,
  method: 'POST' | 'PUT',
  url: string,
  key: string | null,
  body: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.api.inject({
    method,
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    payload: body as object,
  });
}

export const INSIDE = { lat: 36.1, lon: -80.25 };
/** About 400 m east of the city line: inside the 1 km buffer. */
export const IN_BUFFER = { lat: 36.1, lon: -80.1956 };
/** About 4.5 km east of the city line. */
export const FAR_OUTSIDE = { lat: 36.1, lon: -80.15 };

export function cadIncident(number: string, over: Record<string, unknown> = {}) {
  return {
    number,
    callType: { code: 'SHOTS', text: 'Shots fired' },
    priority: 1,
    status: 'pending',
    location: { address: '100 N Main St', position: INSIDE },
    receivedAt: '2026-11-29T14:00:00-05:00',
    units: [],
    narrative: [
      { at: '2026-11-29T14:00:30-05:00', author: 'calltaker 12', text: 'RP heard 3 shots' },
    ],
    ...over,
  };
}

export async function eventsOf(t: TestApp, prefix = 'incident.') {
  const res = await t.store.store.query<{ type: string; payload: unknown }>(
    'select type, payload from events where type like $1 order by id',
    [`${prefix}%`],
  );
  return res.rows.map((r) => ({
    type: r.type,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as {
      incident: { number: string; worked: boolean; outsideJurisdiction: boolean };
      changed?: string[];
    },
  }));
}
