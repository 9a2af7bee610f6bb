import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { getAgency } from '../agency/agencyRepository';
import { ONLINE_REPORT_ENDPOINTS } from '../../shared/api/onlineReports';
import { assignableUsers } from '../cases/caseRepository';
import { ASSIGNABLE_ROLES } from '../cases/caseChanges';
import { listReports } from './onlineReportRepository';
import {
  approveReport,
  categoryLabelOf,
  forwardReport,
  rejectReport,
  requestInfo,
} from './onlineReportChanges';

/**
 * The console's review queue of online reports (shared/api/onlineReports.ts). The reporter's side
 * is the portal's pages (server/portal/reportPages.ts).
 */
export const onlineReportRoutes: RouteModule = (api, ctx) => {
  serve(api, ONLINE_REPORT_ENDPOINTS.list, async ({ query }) => ({
    reports: await listReports(ctx.store, query, categoryLabelOf(await getAgency(ctx.store))),
    investigators: (await assignableUsers(ctx.store, ASSIGNABLE_ROLES)).map((u) => ({
      id: u.id,
      name: u.name,
    })),
  }));

  const decided = <T>(report: Promise<T>) =>
    report.then((r) => {
      ctx.mail?.kick();
      return r;
    });

  serve(api, ONLINE_REPORT_ENDPOINTS.approve, ({ req, params, body }) =>
    decided(approveReport(ctx, actorOf(req), params.id, body)),
  );
  serve(api, ONLINE_REPORT_ENDPOINTS.requestInfo, ({ req, params, body }) =>
    decided(requestInfo(ctx, actorOf(req), params.id, body.message)),
  );
  serve(api, ONLINE_REPORT_ENDPOINTS.forward, ({ req, params, body }) =>
    forwardReport(ctx, actorOf(req), params.id, body.userId),
  );
  serve(api, ONLINE_REPORT_ENDPOINTS.reject, ({ req, params, body }) =>
    decided(rejectReport(ctx, actorOf(req), params.id, body.reason)),
  );
};
