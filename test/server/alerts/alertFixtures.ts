import { setAgency } from '../../../server/agency/agencyRepository';
import { TEST_CITY } from '../../support/testCity';
import { AlertPolicySchema, type AlertPolicy } from '../../../shared/domain/agency';
import type { TestApp } from '../../support/testApp';

/** The test city of the incident tests (36.05-36.15 N, 80.2-80.3 W), with an alert policy. */
export async function configureAlertCity(
  t: TestApp,
  alerts: Partial<AlertPolicy> = {},
): Promise<void> {
  await setAgency(
    t.store.store,
    {
      ...TEST_CITY,
      alerts: { ...AlertPolicySchema.parse({}), ...alerts },
    },
    new Date(),
  );
}

/** A small square zone around (36.12, -80.22): a protected person's street. */
export const SCHOOL_ZONE = {
  id: 'school-1',
  name: 'Elm St school',
  subjects: [],
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [-80.222, 36.118] as [number, number],
        [-80.218, 36.118] as [number, number],
        [-80.218, 36.122] as [number, number],
        [-80.222, 36.122] as [number, number],
        [-80.222, 36.118] as [number, number],
      ],
    ],
  },
};

export async function alertEvents(t: TestApp, prefix = 'alert.') {
  const res = await t.store.store.query<{ id: number; type: string; payload: unknown }>(
    'select id, type, payload from events where type like $1 order by id',
    [`${prefix}%`],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<
      string,
      unknown
    > & { alert: { id: string; severity: string; urgent: boolean; revision: number } },
  }));
}
