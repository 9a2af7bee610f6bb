import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../http/api';
import { actorOf, principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import type { ServerContext } from '../context';
import { auditBy } from '../audit/actor';
import { AUDIT_REVIEW_ENDPOINTS, type AuditFilters } from '../../shared/api/auditReview';
import {
  countEntries,
  latestReviews,
  searchEntries,
  type ResolvedFilters,
} from './auditReviewRepository';
import { readerScope, scopeCovers, type ReaderScope } from './auditScope';
import { flagsBetween } from './auditFlagRun';
import { reviewFlag } from './auditReviewChanges';
import { exportRange } from './auditExport';
import { chainHealth } from './chainHealth';

/** Without a range, the review shows the last seven days. */
const DEFAULT_RANGE_MS = 7 * 86_400_000;

/** The filters with their range made definite; a range that ends before it starts is refused. */
export function resolveFilters(f: AuditFilters, now: number): ResolvedFilters {
  const to = f.to ? Date.parse(f.to) : now;
  const from = f.from ? Date.parse(f.from) : to - DEFAULT_RANGE_MS;
  if (from >= to) {
    throw new HttpError(400, 'Invalid query: from: the range starts after it ends.', [
      { path: 'query.from', message: 'the range starts after it ends' },
    ]);
  }
  return { ...f, from, to };
}

async function scoped(
  ctx: ServerContext,
  req: FastifyRequest,
  f: AuditFilters,
): Promise<{ filters: ResolvedFilters; scope: ReaderScope }> {
  const filters = resolveFilters(f, ctx.clock.now());
  const scope = await readerScope(ctx.store, principalOf(req), filters);
  return { filters, scope };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The audit review (docs/audit-review.md); shared/api/auditReview.ts. */
export const auditReviewRoutes: RouteModule = (api, ctx) => {
  serve(api, AUDIT_REVIEW_ENDPOINTS.entries, async ({ req, query }) => {
    const { before, limit, ...f } = query;
    const { filters, scope } = await scoped(ctx, req, f);
    const page = await searchEntries(ctx.store, filters, scope, { before, limit });
    // Reading the audit trail is itself audited (CJIS 5.4.1.1).
    await ctx.record({
      audit: auditBy(actorOf(req), {
        action: 'audit.search',
        outcome: 'success',
        details: { filters: { ...query }, rows: page.entries.length, scope: scope.scope },
      }),
      event: null,
    });
    return { ...page, scope: scope.scope, from: iso(filters.from), to: iso(filters.to) };
  });

  serve(api, AUDIT_REVIEW_ENDPOINTS.counts, async ({ req, query }) => {
    const { filters, scope } = await scoped(ctx, req, query);
    return { ...(await countEntries(ctx.store, filters, scope)), scope: scope.scope };
  });

  serve(api, AUDIT_REVIEW_ENDPOINTS.flags, async ({ req, query }) => {
    const { filters, scope } = await scoped(ctx, req, query);
    const flags = (await flagsBetween(ctx.store, ctx.clock, filters.from, filters.to)).filter((f) =>
      scopeCovers(scope, Date.parse(f.from), Date.parse(f.to)),
    );
    const reviews = await latestReviews(
      ctx.store,
      flags.map((f) => f.key),
    );
    return {
      flags: flags.map((f) => ({ ...f, review: reviews.get(f.key) ?? null })),
      scope: scope.scope,
      from: iso(filters.from),
      to: iso(filters.to),
    };
  });

  serve(api, AUDIT_REVIEW_ENDPOINTS.reviewFlag, async ({ req, body }) => {
    // A flag's stretch of time may reach back weeks (a private camera's window): the scope
    // is read over more than a year, as far as a reviewer may go back.
    const now = ctx.clock.now();
    const scope = await readerScope(ctx.store, principalOf(req), {
      from: now - 400 * 86_400_000,
      to: now + 1,
    });
    return reviewFlag(ctx, actorOf(req), scope, body.key, body.note);
  });

  serve(api, AUDIT_REVIEW_ENDPOINTS.export, async ({ req, query }) => {
    const { filters, scope } = await scoped(ctx, req, query);
    return exportRange(ctx, actorOf(req), filters, scope);
  });

  serve(api, AUDIT_REVIEW_ENDPOINTS.health, async () =>
    chainHealth(ctx.store, ctx.config.auditVerifyDir),
  );
};
