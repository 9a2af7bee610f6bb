import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import { CASE_ENDPOINTS } from '../../shared/api/cases';
import { analystsOf, caseOf, listCases } from './caseRepository';
import {
  addCaseNote,
  assignCase,
  createCase,
  linkCase,
  reassignCase,
  setCaseStatus,
  updateCaseFields,
} from './caseChanges';
import { caseDetail } from './caseDetail';
import { caseWorkload } from './caseWorkload';

/** Cases and their assignment; shared/api/cases.ts, docs/cases.md. */
export const caseRoutes: RouteModule = (api, ctx) => {
  serve(api, CASE_ENDPOINTS.list, async ({ req, query }) => {
    const records = await listCases(ctx.store, {
      userId: principalOf(req).userId,
      mine: query.scope === 'mine',
      status: query.status,
    });
    const analysts = await analystsOf(
      ctx.store,
      records.map((r) => r.id),
    );
    return { cases: records.map((r) => caseOf(r, analysts.get(r.id) ?? [])) };
  });

  serve(api, CASE_ENDPOINTS.workload, async () => caseWorkload(ctx.store, ctx.clock.now()));

  serve(api, CASE_ENDPOINTS.get, async ({ params }) => {
    const detail = await caseDetail(ctx.store, params.number);
    if (!detail) throw new HttpError(404, `There is no case ${params.number}.`);
    return detail;
  });

  serve(api, CASE_ENDPOINTS.create, async ({ req, body }) =>
    createCase(ctx, body, principalOf(req)),
  );

  serve(api, CASE_ENDPOINTS.update, async ({ req, params, body }) =>
    updateCaseFields(ctx, params.number, body, principalOf(req)),
  );

  serve(api, CASE_ENDPOINTS.setStatus, async ({ req, params, body }) =>
    setCaseStatus(ctx, params.number, body.status, principalOf(req)),
  );

  serve(api, CASE_ENDPOINTS.assign, async ({ req, params, body }) =>
    assignCase(ctx, params.number, body.analystIds, principalOf(req)),
  );

  serve(api, CASE_ENDPOINTS.reassign, async ({ req, params, body }) =>
    reassignCase(ctx, params.number, body, principalOf(req)),
  );

  serve(api, CASE_ENDPOINTS.addNote, async ({ req, params, body }) =>
    addCaseNote(ctx, params.number, body.text, principalOf(req)),
  );

  serve(api, CASE_ENDPOINTS.link, async ({ req, params, body }) =>
    linkCase(ctx, params.number, body, principalOf(req)),
  );
};
