import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../../../server/context';
import { submitReport } from '../../../server/onlineReports/onlineReportChanges';
import { assignableUsers } from '../../../server/cases/caseRepository';
import type { ReportLocation } from '../../../server/onlineReports/reportLocation';
import type { OnlineReportInput } from '../../../shared/domain/onlineReports';

/** A valid report as the portal's form makes it (synthetic). */
export const REPORT_INPUT: OnlineReportInput = {
  category: 'theft_of_property',
  occurredAt: '2026-01-14T21:30:00.000Z',
  address: '200 W 4th St',
  narrative: 'A bicycle was taken from the rack in front of the library (synthetic).',
  property: 'Blue bicycle',
  reporter: { name: 'Sam Ortiz', dateOfBirth: '1990-05-04', email: 'sam@example.org' },
  acknowledged: true,
};

/** Where REPORT_INPUT happened, as kept for an agency without address points. */
export const UNVERIFIED: ReportLocation = { lat: null, lng: null, check: 'unverified' };

/**
 * Four open reports and, for each, a review route with a fresh valid body: approve,
 * request-info, forward (to an active analyst) and reject.
 */
export async function onlineReportsToDecide(
  ctx: ServerContext,
): Promise<[string, () => Record<string, unknown>][]> {
  const ids: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const { report } = await submitReport(ctx, REPORT_INPUT, UNVERIFIED, [], randomUUID());
    ids.push(report.id);
  }
  const [investigator] = await assignableUsers(ctx.store, ['analyst']);
  return [
    [`/v1/online-reports/${ids[0]}/approve`, () => ({})],
    [`/v1/online-reports/${ids[1]}/request-info`, () => ({ message: 'Which rack?' })],
    [`/v1/online-reports/${ids[2]}/forward`, () => ({ userId: investigator!.id })],
    [`/v1/online-reports/${ids[3]}/reject`, () => ({ reason: 'A weapon was involved.' })],
  ];
}
