import { z } from 'zod';
import { auditBy, actorOfPrincipal } from './actor';
import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { ApiErrorSchema } from '../../shared/api/errors';
import { AuditOutcomeSchema, AuditRowSchema, ChainReportSchema } from '../../shared/api/audit';
import { auditRowFromDb } from './auditChain';
import { verifyAuditChain } from './trailVerifier';
import { readerScope } from '../auditReview/auditScope';
import { scopeClauses } from '../auditReview/auditReviewRepository';

const Name = z.string().trim().min(1).max(200);

export const auditRoutes: RouteModule = (api, ctx) => {
  api.get(
    '/v1/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        summary: 'Search the audit trail (newest first)',
        tags: ['audit'],
        querystring: z.object({
          actorId: Name.optional(),
          action: Name.optional(),
          targetType: Name.optional(),
          targetId: Name.optional(),
          outcome: AuditOutcomeSchema.optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Page: rows with id below'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ rows: z.array(AuditRowSchema) }), 400: ApiErrorSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replace('?', `$${params.length}`));
      };
      if (q.actorId) add('actor_id = ?', q.actorId);
      if (q.action) add('action = ?', q.action);
      if (q.targetType) add('target_type = ?', q.targetType);
      if (q.targetId) add('target_id = ?', q.targetId);
      if (q.outcome) add('outcome = ?', q.outcome);
      if (q.from) add('at >= ?', q.from);
      if (q.to) add('at < ?', q.to);
      if (q.before) add('id < ?', q.before);
      // A supervisor reads people's entries of their own shifts only (docs/audit-review.md).
      const scope = await readerScope(ctx.store, principalOf(req), {
        from: q.from ? Date.parse(q.from) : 0,
        to: q.to ? Date.parse(q.to) : ctx.clock.now() + 1,
      });
      where.push(
        ...scopeClauses(scope, (value) => {
          params.push(value);
          return `$${params.length}`;
        }),
      );
      params.push(q.limit);
      const res = await ctx.store.query<Parameters<typeof auditRowFromDb>[0]>(
        `select * from audit_log a ${where.length ? `where ${where.join(' and ')}` : ''}
         order by id desc limit $${params.length}`,
        params,
      );
      const p = principalOf(req);
      // Reading the audit trail is itself audited (CJIS 5.4.1.1).
      await ctx.record({
        audit: auditBy(actorOfPrincipal(p), {
          action: 'audit.search',
          outcome: 'success',
          details: { filters: { ...q }, rows: res.rows.length },
        }),
        event: null,
      });
      return { rows: res.rows.map(auditRowFromDb) };
    },
  );

  api.get(
    '/v1/audit/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        summary:
          'Verify the audit hash chain and its signed checkpoints; reports the head and the first broken link',
        tags: ['audit'],
        response: { 200: ChainReportSchema },
      },
    },
    async (req) => {
      // Checked against what the database cannot take back: this server's key, its newest
      // checkpoint and the newest row it wrote (docs/decisions/0004).
      const walked = await verifyAuditChain(ctx.store, {
        keys: ctx.audit.keys(),
        anchors: ctx.audit.anchors(),
      });
      const seen = ctx.audit.alteration();
      const report =
        walked.ok && seen
          ? { ...walked, ok: false, firstBreak: { kind: 'anchor' as const, ...seen } }
          : walked;
      const p = principalOf(req);
      await ctx.record({
        audit: auditBy(actorOfPrincipal(p), {
          action: 'audit.verify',
          outcome: 'success',
          details: { ok: report.ok, rowsChecked: report.rowsChecked, head: report.head },
        }),
        event: null,
      });
      return report;
    },
  );
};
