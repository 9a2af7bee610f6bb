import { setAgency } from '../../../server/agency/agencyRepository';
import { TEST_CITY } from '../../support/testCity';
import type { TestApp, TestUser } from '../../support/testApp';

/** The test city (New York's time zone), numbering its cases in this format. */
export async function configureCases(t: TestApp, numberFormat = '{yyyy}-{seq:6}'): Promise<void> {
  await setAgency(t.store.store, { ...TEST_CITY, cases: { numberFormat } }, new Date());
}

export interface OpenedCase {
  readonly number: string;
  readonly id: string;
}

/** A case opened by a lieutenant, with these analysts assigned. */
export async function openCase(
  t: TestApp,
  lieutenant: TestUser,
  over: Record<string, unknown> = {},
): Promise<OpenedCase> {
  const res = await t.as(lieutenant, 'POST', '/v1/cases', {
    title: 'Burglary series, Ardmore',
    type: 'burglary',
    ...over,
  });
  if (res.statusCode !== 201) throw new Error(`open case: ${res.statusCode} ${res.body}`);
  return res.json() as OpenedCase;
}

/** The audit rows of one action, oldest first. */
export async function auditOf(
  t: TestApp,
  action: string,
): Promise<{ actor_name: string; target_id: string; details: Record<string, unknown> }[]> {
  const res = await t.store.store.query<{
    actor_name: string;
    target_id: string;
    details: Record<string, unknown>;
  }>('select actor_name, target_id, details from audit_log where action = $1 order by id', [
    action,
  ]);
  return res.rows;
}
