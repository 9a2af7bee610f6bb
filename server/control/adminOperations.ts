import { z } from 'zod';
import type { ServerContext } from '../context';
import type { Actor } from '../audit/actor';
import { IntegrationNameSchema } from '../../shared/domain/integrations';
import { IngestScopeSchema } from '../../shared/domain/roles';
import { listIntegrations } from '../integrations/integrationRepository';
import { createIntegration, revokeIntegration } from '../integrations/integrationChanges';
import { shiftReportFor } from '../shifts/shiftReport';
import { ShiftParamsSchema } from '../../shared/api/shifts';

/**
 * The administrator's commands that change the database, declared once: `wf` runs them on the
 * database itself, or, when a running server holds the embedded database, asks that server to
 * run them over its control channel (server/control/controlChannel.ts). Either way the same
 * arguments are checked by the same schema and the same change is recorded.
 */
interface AdminOperation<A extends z.ZodType> {
  readonly args: A;
  run(ctx: ServerContext, args: z.output<A>, actor: Actor): Promise<unknown>;
}

const operation = <A extends z.ZodType>(o: AdminOperation<A>): AdminOperation<A> => o;

export const ADMIN_OPERATIONS = {
  'integration.add': operation({
    args: z.object({ name: IntegrationNameSchema, scope: IngestScopeSchema }).strict(),
    run: (ctx, args, actor) => createIntegration(ctx, args, actor),
  }),
  'integration.list': operation({
    args: z.object({}).strict(),
    run: (ctx) => listIntegrations(ctx.store),
  }),
  'integration.revoke': operation({
    args: z.object({ idOrName: z.string().min(1).max(100) }).strict(),
    run: (ctx, args, actor) => revokeIntegration(ctx, args.idOrName, actor),
  }),
  /** A read, here so that it works while a server holds the embedded database. */
  'report.shift': operation({
    args: z
      .object({
        date: ShiftParamsSchema.shape.date,
        shift: ShiftParamsSchema.shape.shift.optional(),
      })
      .strict(),
    run: (ctx, args) => shiftReportFor(ctx.store, new Date(ctx.clock.now()), args.date, args.shift),
  }),
};

export type AdminOperationName = keyof typeof ADMIN_OPERATIONS;
export const AdminOperationNameSchema = z.enum(
  Object.keys(ADMIN_OPERATIONS) as [AdminOperationName, ...AdminOperationName[]],
);

/** Checks the arguments and runs the operation (a ZodError for bad arguments). */
export async function runAdminOperation(
  ctx: ServerContext,
  name: AdminOperationName,
  args: unknown,
  actor: Actor,
): Promise<unknown> {
  const op = ADMIN_OPERATIONS[name] as AdminOperation<z.ZodType>;
  return op.run(ctx, op.args.parse(args), actor);
}
