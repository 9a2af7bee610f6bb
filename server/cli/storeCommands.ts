import { z } from 'zod';
import type { ServerContext } from '../context';
import type { Actor } from '../audit/actor';
import { RoleSchema, IngestScopeSchema } from '../../shared/domain/roles';
import { IntegrationNameSchema, type Integration } from '../../shared/domain/integrations';
import { ShiftParamsSchema } from '../../shared/api/shifts';
import type { EnrolmentCode } from '../auth/enrolmentCodes';
import { HttpError } from '../http/errorHandler';
import { findUserByUsername } from '../users/userRepository';
import { createUser, unlockUser } from '../users/userChanges';
import { listIntegrations } from '../integrations/integrationRepository';
import { createIntegration, revokeIntegration } from '../integrations/integrationChanges';
import { IMPORT_BODY_LIMIT } from '../cameras/importRoutes';
import { verifyTrail } from './verifyTrail';
import type { CommandIo, CommandOutcome } from './commandIo';

/**
 * The `wf` commands that use the database, each written once. `wf` parses its command line and
 * reads what it was given (a password on standard input, a file) where it was typed, then runs
 * the command here: in its own process on PostgreSQL or on an embedded database nobody holds, or,
 * when a running server holds the embedded database, in that server through its control channel
 * (server/control/controlChannel.ts). Either way the arguments are checked by the same schema,
 * the same change is recorded and audited under the same actor, and the same lines are printed
 * to the caller.
 */
export interface StoreCommand<A extends z.ZodType = z.ZodType> {
  /** The arguments as JSON; checked again where the command runs (a socket is input too). */
  readonly args: A;
  run(ctx: ServerContext, args: z.output<A>, io: CommandIo, actor: Actor): Promise<CommandOutcome>;
}

const command = <A extends z.ZodType>(c: StoreCommand<A>): StoreCommand<A> => c;
const done: CommandOutcome = { code: 0 };

/** The enrolment code, printed once to whoever typed the command: only its hash is kept. */
function printEnrolment(io: CommandIo, username: string, e: EnrolmentCode): void {
  io.out(`enrolment code for "${username}": ${e.code}`);
  io.out(`  valid until ${e.expiresAt}, once; shown only now. Hand it to the user in person:`);
  io.out('  at first sign-in they enter it to enrol an authenticator app.');
}

function describeIntegration(i: Integration): string {
  const state = i.revokedAt ? `revoked ${i.revokedAt}` : 'active';
  const used = i.lastUsedAt ? `last post ${i.lastUsedAt}` : 'never posted';
  return `${i.name}  ${i.scope}  ${i.id}  ${state}, ${used}, created by ${i.createdBy}`;
}

/** A username as typed; the account rules themselves are createUser's. */
const UsernameArg = z.string().min(1).max(200);

export const STORE_COMMANDS = {
  'user.add': command({
    args: z
      .object({
        username: UsernameArg,
        role: RoleSchema,
        displayName: z.string().max(500).optional(),
        password: z.string().max(4096),
      })
      .strict(),
    async run(ctx, args, io, actor) {
      const user = await createUser(
        ctx,
        {
          username: args.username,
          role: args.role,
          password: args.password,
          ...(args.displayName ? { displayName: args.displayName } : {}),
        },
        actor,
      );
      io.out(`created ${user.role} "${user.username}" (${user.id})`);
      printEnrolment(io, user.username, user.enrolment);
      return done;
    },
  }),
  'user.reset-totp': command({
    args: z.object({ username: UsernameArg }).strict(),
    async run(ctx, args, io, actor) {
      const { resetTotp } = await import('../auth/totpEnrollment');
      const reset = await resetTotp(ctx, args.username, actor);
      io.out(
        `one-time-code enrolment cleared for "${args.username}"; they enrol again at next sign-in`,
      );
      printEnrolment(io, reset.username, reset.enrolment);
      return done;
    },
  }),
  'user.unlock': command({
    args: z.object({ username: UsernameArg }).strict(),
    async run(ctx, args, io, actor) {
      const user = await findUserByUsername(ctx.store, args.username);
      if (!user) throw new HttpError(404, `There is no user "${args.username}".`);
      await unlockUser(ctx, user.id, actor);
      io.out(`"${args.username}" unlocked: failed sign-ins cleared`);
      return done;
    },
  }),
  'owner.reset-totp': command({
    args: z.object({ email: z.email('an email address') }).strict(),
    async run(ctx, args, io, actor) {
      const { clearOwnerTotp } = await import('../owners/ownerChanges');
      const cleared = await clearOwnerTotp(ctx, args.email, actor);
      io.out(
        `authenticator cleared for the camera owner ${cleared.accountId}; ` +
          `${cleared.sessionsEnded} session(s) ended; the owner was emailed and signs in by link`,
      );
      return done;
    },
  }),
  'audit.verify': command({
    args: z
      .object({
        anchors: z.array(z.object({ path: z.string(), text: z.string().max(64 * 1024) })).max(100),
        publicKeys: z
          .array(z.object({ path: z.string(), pem: z.string().max(64 * 1024) }))
          .max(100),
      })
      .strict(),
    // The server's own key and anchor are those of the process that holds the trail.
    run: (ctx, args, io) => verifyTrail(args, ctx.config, ctx.store, io),
  }),
  'cameras.import': command({
    args: z
      .object({
        format: z.enum(['csv', 'geojson']),
        content: z.string().max(IMPORT_BODY_LIMIT),
      })
      .strict(),
    async run(ctx, args, io, actor) {
      const { importCameras } = await import('../cameras/importCameras');
      const report = await importCameras(ctx, args, actor);
      io.out(`imported ${report.created} cameras, rejected ${report.rejected.length}`);
      for (const r of report.rejected) io.out(`  row ${r.row}: ${r.reason}`);
      return { code: report.rejected.length > 0 && report.created === 0 ? 1 : 0 };
    },
  }),
  'addresses.import': command({
    args: z
      .object({
        format: z.enum(['csv', 'geojson']),
        content: z.string().max(IMPORT_BODY_LIMIT),
      })
      .strict(),
    async run(ctx, args, io, actor) {
      const { importAddresses } = await import('../addresses/importAddresses');
      const r = await importAddresses(ctx, args, actor);
      io.out(
        `imported ${r.created} address points, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected.length}`,
      );
      for (const x of r.rejected) io.out(`  row ${x.row}: ${x.reason}`);
      return { code: r.rejected.length > 0 && r.created + r.updated + r.unchanged === 0 ? 1 : 0 };
    },
  }),
  'integration.add': command({
    args: z.object({ name: IntegrationNameSchema, scope: IngestScopeSchema }).strict(),
    async run(ctx, args, io, actor) {
      const created = await createIntegration(ctx, args, actor);
      io.out(`created integration "${created.name}" (${created.scope}, ${created.id})`);
      io.out(`key: ${created.key}`);
      io.out('  shown only now (only its hash is kept). The integration sends it as');
      io.out('  "Authorization: Bearer <key>"; revoke it with `wf integration revoke`.');
      return done;
    },
  }),
  'integration.list': command({
    args: z.object({}).strict(),
    async run(ctx, _args, io) {
      const all = await listIntegrations(ctx.store);
      if (all.length === 0) io.out('no integrations');
      for (const i of all) io.out(describeIntegration(i));
      return done;
    },
  }),
  'integration.revoke': command({
    args: z.object({ idOrName: z.string().min(1).max(100) }).strict(),
    async run(ctx, args, io, actor) {
      const revoked = await revokeIntegration(ctx, args.idOrName, actor);
      io.out(`revoked integration "${revoked.name}" (${revoked.id}) at ${revoked.revokedAt}`);
      return done;
    },
  }),
  /** A read; the PDF comes back as the result, for `wf` to write where it was asked. */
  'report.shift': command({
    args: z
      .object({
        date: ShiftParamsSchema.shape.date,
        shift: ShiftParamsSchema.shape.shift.optional(),
      })
      .strict(),
    async run(ctx, args) {
      const { shiftReportFor } = await import('../shifts/shiftReport');
      const report = await shiftReportFor(
        ctx.store,
        new Date(ctx.clock.now()),
        args.date,
        args.shift,
      );
      return { code: 0, result: report };
    },
  }),
  /** The store is migrated when it is opened (by `wf` or by the server): this says where it is. */
  migrate: command({
    args: z.object({}).strict(),
    async run(ctx, _args, io) {
      const applied = await ctx.store.query<{ n: number | string; latest: number | null }>(
        'select count(*) as n, max(version) as latest from schema_migrations',
      );
      const { n, latest } = applied.rows[0]!;
      io.out(`schema up to date: ${Number(n)} migrations (latest ${latest ?? '-'})`);
      return done;
    },
  }),
} satisfies Record<string, StoreCommand>;

export type StoreCommandName = keyof typeof STORE_COMMANDS;

/** Any set of commands by name: the server's own, or a test's. */
export type StoreCommands = Readonly<Record<string, StoreCommand>>;

/** Checks the arguments and runs the command (a ZodError for bad arguments, HttpError refusals). */
export async function runStoreCommand(
  ctx: ServerContext,
  commands: StoreCommands,
  name: string,
  args: unknown,
  io: CommandIo,
  actor: Actor,
): Promise<CommandOutcome> {
  const cmd = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!cmd) throw new HttpError(400, `There is no command "${name}".`);
  return cmd.run(ctx, cmd.args.parse(args), io, actor);
}
