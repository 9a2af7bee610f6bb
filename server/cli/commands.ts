import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ZodError } from 'zod';
import { readServerConfig } from '../config';
import { openStore } from '../store/openStore';
import { createServerContext } from '../app';
import { systemClock } from '../../shared/time/clock';
import type { ServerContext } from '../context';
import type { Actor } from '../audit/actor';
import { RoleSchema, IngestScopeSchema } from '../../shared/domain/roles';
import { HttpError } from '../http/errorHandler';
import { readSecret } from './readSecret';
import { loadAuditSigningKey } from '../audit/signingKey';
import { writeAnchorFile } from '../audit/anchor';
import { readVerifyInputs, type VerifiedHead } from './verifyTrail';
import { AuditFiltersSchema } from '../../shared/api/auditReview';
import { exportRange } from '../auditReview/auditExport';
import { resolveFilters } from '../auditReview/routes';
import { ALL_ENTRIES } from '../auditReview/auditScope';
import { verifyPackage } from '../evidence/evidencePackage';
import { loadEvidenceKey } from '../evidence/evidenceKey';
import { DataDirInUseError } from '../store/dataDirLock';
import { IMPORT_BODY_LIMIT } from '../cameras/importRoutes';
import {
  callControlChannel,
  controlSocketPath,
  ControlChannelUntrusted,
} from '../control/controlChannel';
import { runStoreCommand, STORE_COMMANDS, type StoreCommandName } from './storeCommands';
import type { CommandIo, CommandOutcome } from './commandIo';

export const SERVER_USAGE = `Usage: npm run wf -- <command>

  user add --username U --role R [--display-name N]
                         create a user; the password is read from standard input; prints
                         the one-time enrolment code to hand to the user
  user reset-totp --username U
                         clear a user's authenticator; prints a new enrolment code
  user unlock --username U
                         lift a lockout after failed sign-ins at once
  owner reset-totp --email E
                         clear the authenticator app of a camera owner who lost it; ends
                         their sessions and emails them; they sign in by link again
  audit verify [--anchor FILE]... [--public-key FILE]... [--write-anchor FILE]
                         check the audit hash chain, its signed checkpoints and anchors
                         (the server's own anchor in the data dir too); print the head;
                         exit 1 at the first broken link
  audit public-key       print the public key that checks the server's audit checkpoints
  audit export --from T --to T --out FILE [--user ID] [--camera ID] [--case NUMBER]
               [--action A] [--outcome O]
                         the audit entries of [from, to) as CSV in FILE, after verifying
                         the chain, with the detached signature in FILE.sig.json
  evidence verify PATH [--public-key FILE]
                         check an evidence package: every file's SHA-256 and size, the
                         chain of custody and the manifest's signature (and, with
                         --public-key, that it is the agency's key); exit 1 naming the
                         first thing that does not match
  evidence public-key    print the agency's evidence public key and its fingerprint
  cameras import FILE [--format csv|geojson]
                         import cameras; prints the rows rejected and why
  addresses import FILE [--format csv|geojson]
                         import the agency's address points and places; prints the rows
                         rejected and why (docs/address-points.md)
  integration add --name NAME --scope SCOPE
                         create an integration (a machine that posts to /v1/ingest);
                         prints its key once
  integration list       list integrations, when each last posted, which are revoked
  integration revoke NAME|ID
                         revoke an integration's key
  migrate                apply database migrations and list what was applied
  report shift --date YYYY-MM-DD [--shift NAME] --out FILE.pdf
                         the shift report as a PDF: one shift, or every shift of the day

Roles: ${RoleSchema.options.join(', ')}
Integration scopes: ${IngestScopeSchema.options.join(', ')}
The database is WF_DATABASE_URL if set, else the embedded one in WF_DATA_DIR (./.watchfloor).
While a server runs on the embedded database, the commands that use it run in that server
(through its control socket in the data dir); with none running, wf opens the database itself.`;

type Out = (line: string) => void;

async function withContext<T>(fn: (ctx: ServerContext) => Promise<T>): Promise<T> {
  const config = readServerConfig();
  const logger = pino({ level: 'silent' });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const ctx = await createServerContext({ store, clock: systemClock, config, logger });
  try {
    return await fn(ctx);
  } finally {
    await ctx.hub.stop();
    await store.close();
  }
}

/** The account's name; a container's user may have none. */
function osLogin(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Who typed the command, in the audit trail: the OS login, as the control channel accepts it. */
export function cliActor(): Actor {
  const login = process.env.USER || osLogin();
  return { id: null, name: /^[A-Za-z0-9._-]{1,64}$/.test(login) ? `cli:${login}` : 'cli:unknown' };
}

/**
 * Runs one of the database commands (server/cli/storeCommands.ts), its output going to `io` as
 * it comes. On an embedded database a running server holds, that server runs it through its
 * control channel, so the folder is never opened by two processes and the server sees the change
 * at once; with no server, and always on PostgreSQL (which any number of processes share, each
 * seeing the others' changes), it runs here.
 */
async function runOnStore(
  name: StoreCommandName,
  args: unknown,
  io: CommandIo,
): Promise<CommandOutcome> {
  const config = readServerConfig();
  const actor = cliActor();
  if (!config.databaseUrl) {
    const answered = await callControlChannel(
      config.dataDir,
      { command: name, args, actor: actor.name },
      io,
    );
    if (answered) return answered;
  }
  try {
    return await withContext((ctx) => runStoreCommand(ctx, STORE_COMMANDS, name, args, io, actor));
  } catch (e) {
    if (!(e instanceof DataDirInUseError)) throw e;
    throw new HttpError(
      409,
      `${e.message} It does not answer on ${controlSocketPath(config.dataDir)} (it is not a ` +
        'server, or a server still starting), so wait for it and try again.',
    );
  }
}

/** Runs one command; returns the process exit code. Messages go to `out` / `err`. */
export async function runServerCommand(
  argv: readonly string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const io: CommandIo = { out, err };
  const [group, action, ...rest] = argv;
  const key = action && !action.startsWith('-') ? `${group} ${action}` : group;
  const args = key === group ? argv.slice(1) : rest;
  try {
    switch (key) {
      case 'user add': {
        const { values } = parseArgs({
          args: [...args],
          options: {
            username: { type: 'string' },
            role: { type: 'string' },
            'display-name': { type: 'string' },
          },
          strict: true,
        });
        if (!values.username || !values.role) {
          err('user add needs --username and --role');
          return 2;
        }
        const role = RoleSchema.safeParse(values.role);
        if (!role.success) {
          err(`unknown role "${values.role}"; one of ${RoleSchema.options.join(', ')}`);
          return 2;
        }
        const password = await readSecret('Password: ');
        return (
          await runOnStore(
            'user.add',
            {
              username: values.username,
              role: role.data,
              password,
              ...(values['display-name'] ? { displayName: values['display-name'] } : {}),
            },
            io,
          )
        ).code;
      }
      case 'user reset-totp': {
        const { values } = parseArgs({
          args: [...args],
          options: { username: { type: 'string' } },
          strict: true,
        });
        if (!values.username) {
          err('user reset-totp needs --username');
          return 2;
        }
        return (await runOnStore('user.reset-totp', { username: values.username }, io)).code;
      }
      case 'user unlock': {
        const { values } = parseArgs({
          args: [...args],
          options: { username: { type: 'string' } },
          strict: true,
        });
        if (!values.username) {
          err('user unlock needs --username');
          return 2;
        }
        return (await runOnStore('user.unlock', { username: values.username }, io)).code;
      }
      case 'owner reset-totp': {
        const { values } = parseArgs({
          args: [...args],
          options: { email: { type: 'string' } },
          strict: true,
        });
        if (!values.email) {
          err('owner reset-totp needs --email');
          return 2;
        }
        return (await runOnStore('owner.reset-totp', { email: values.email }, io)).code;
      }
      case 'audit verify': {
        const { values } = parseArgs({
          args: [...args],
          options: {
            anchor: { type: 'string', multiple: true },
            'public-key': { type: 'string', multiple: true },
            'write-anchor': { type: 'string' },
          },
          strict: true,
        });
        let inputs;
        try {
          inputs = readVerifyInputs({
            anchors: values.anchor ?? [],
            publicKeys: values['public-key'] ?? [],
          });
        } catch (e) {
          err(e instanceof Error ? e.message : String(e));
          return 2;
        }
        const verified = await runOnStore('audit.verify', inputs, io);
        const writeAnchor = values['write-anchor'];
        if (verified.code !== 0 || !writeAnchor) return verified.code;
        const head = verified.result as VerifiedHead | null;
        if (!head) {
          err('nothing to anchor: the trail is empty');
          return 1;
        }
        writeAnchorFile(writeAnchor, head, new Date());
        out(`anchor written to ${writeAnchor} (row ${head.id})`);
        return 0;
      }
      case 'audit export': {
        const { values } = parseArgs({
          args: [...args],
          options: {
            from: { type: 'string' },
            to: { type: 'string' },
            out: { type: 'string' },
            user: { type: 'string' },
            camera: { type: 'string' },
            case: { type: 'string' },
            action: { type: 'string' },
            outcome: { type: 'string' },
          },
          strict: true,
        });
        if (!values.from || !values.to || !values.out) {
          err('audit export needs --from, --to and --out');
          return 2;
        }
        const filters = AuditFiltersSchema.safeParse({
          from: values.from,
          to: values.to,
          actorId: values.user,
          cameraId: values.camera,
          caseNumber: values.case,
          action: values.action,
          outcome: values.outcome,
        });
        if (!filters.success) {
          err(
            `audit export: ${filters.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`,
          );
          return 2;
        }
        const file = values.out;
        const made = await withContext((ctx) =>
          exportRange(ctx, cliActor(), resolveFilters(filters.data, ctx.clock.now()), ALL_ENTRIES),
        );
        writeFileSync(file, made.csv);
        writeFileSync(`${file}.sig.json`, `${JSON.stringify(made.signature, null, 2)}\n`);
        const { chain, rows, keyFingerprint } = made.signature;
        out(`exported ${rows} audit entries to ${file}`);
        out(`  chain verified up to row ${chain.lastId ?? 'none'}, hash ${chain.hash ?? 'none'}`);
        out(`  signature in ${file}.sig.json, by the agency's evidence key ${keyFingerprint}`);
        return 0;
      }
      case 'audit public-key': {
        const config = readServerConfig();
        const loaded = loadAuditSigningKey(config.auditSigningKey, { create: false });
        if (!loaded) {
          err(
            `no checkpoint key at ${config.auditSigningKey}; the server makes one on first start`,
          );
          return 2;
        }
        out(loaded.key.publicKeyPem.trimEnd());
        err(`key id ${loaded.key.keyId}`);
        return 0;
      }
      case 'evidence verify': {
        const { values, positionals } = parseArgs({
          args: [...args],
          options: { 'public-key': { type: 'string' } },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) {
          err('usage: evidence verify PATH [--public-key FILE]');
          return 2;
        }
        const trusted = values['public-key'];
        const verdict = await verifyPackage(positionals[0]!, {
          ...(trusted ? { trustedKeyPem: readFileSync(trusted, 'utf8') } : {}),
        });
        if (!verdict.ok) {
          err(`evidence package does NOT verify: ${verdict.what} ${verdict.problem}`);
          return 1;
        }
        const s = verdict.summary;
        out(
          `evidence package verified: case ${s.caseNumber}${s.pullId ? `, pull ${s.pullId}` : ''}`,
        );
        out(`  ${s.files} files, ${s.bytes} bytes, every SHA-256 matches`);
        out(`  chain of custody: ${s.custodyEntries} entries, unbroken, ending with this export`);
        out(`  manifest signed ${s.createdAt} by key ${s.fingerprint}`);
        if (!trusted) {
          out("  compare that fingerprint with the agency's published one (or pass --public-key)");
        }
        return 0;
      }
      case 'evidence public-key': {
        const key = loadEvidenceKey(readServerConfig().evidenceSigningKey);
        out(key.publicKeyPem.trimEnd());
        err(`fingerprint ${key.fingerprint}`);
        return 0;
      }
      case 'cameras import':
      case 'addresses import': {
        const { values, positionals } = parseArgs({
          args: [...args],
          options: { format: { type: 'string' } },
          allowPositionals: true,
          strict: true,
        });
        const file = positionals[0];
        if (!file) {
          err(`${key} needs a FILE`);
          return 2;
        }
        const format =
          values.format ??
          (['.geojson', '.json'].includes(extname(file).toLowerCase()) ? 'geojson' : 'csv');
        if (format !== 'csv' && format !== 'geojson') {
          err(`--format is csv or geojson, not "${format}"`);
          return 2;
        }
        if (statSync(file).size > IMPORT_BODY_LIMIT) {
          err(`${file} is larger than ${IMPORT_BODY_LIMIT / 1024 / 1024} MB: split it`);
          return 2;
        }
        const content = readFileSync(file, 'utf8');
        const name = key === 'cameras import' ? 'cameras.import' : 'addresses.import';
        return (await runOnStore(name, { format, content }, io)).code;
      }
      case 'integration add': {
        const { values } = parseArgs({
          args: [...args],
          options: { name: { type: 'string' }, scope: { type: 'string' } },
          strict: true,
        });
        if (!values.name || !values.scope) {
          err('integration add needs --name and --scope');
          return 2;
        }
        const scope = IngestScopeSchema.safeParse(values.scope);
        if (!scope.success) {
          err(`unknown scope "${values.scope}"; one of ${IngestScopeSchema.options.join(', ')}`);
          return 2;
        }
        return (await runOnStore('integration.add', { name: values.name, scope: scope.data }, io))
          .code;
      }
      case 'integration list': {
        parseArgs({ args: [...args], options: {}, strict: true });
        return (await runOnStore('integration.list', {}, io)).code;
      }
      case 'integration revoke': {
        const { positionals } = parseArgs({
          args: [...args],
          options: {},
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) {
          err('integration revoke needs one NAME or ID');
          return 2;
        }
        return (await runOnStore('integration.revoke', { idOrName: positionals[0] }, io)).code;
      }
      case 'report shift': {
        const { values } = parseArgs({
          args: [...args],
          options: {
            date: { type: 'string' },
            shift: { type: 'string' },
            out: { type: 'string' },
          },
          strict: true,
        });
        if (!values.date || !values.out) {
          err('report shift needs --date YYYY-MM-DD and --out FILE.pdf');
          return 2;
        }
        const made = await runOnStore(
          'report.shift',
          { date: values.date, ...(values.shift === undefined ? {} : { shift: values.shift }) },
          io,
        );
        if (made.code !== 0) return made.code;
        const report = made.result as { data: string; pages: number };
        writeFileSync(values.out, Buffer.from(report.data, 'base64'));
        out(`wrote ${values.out} (${report.pages} page${report.pages === 1 ? '' : 's'})`);
        return 0;
      }
      case 'migrate': {
        parseArgs({ args: [...args], options: {}, strict: true });
        return (await runOnStore('migrate', {}, io)).code;
      }
      default:
        err(SERVER_USAGE);
        return 2;
    }
  } catch (e) {
    if (e instanceof ZodError) {
      err(e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
      return 2;
    }
    if (e instanceof HttpError && e.statusCode >= 500) {
      err(e.message);
      return 1;
    }
    if (
      e instanceof HttpError ||
      e instanceof ControlChannelUntrusted ||
      (e instanceof Error &&
        'code' in e &&
        typeof e.code === 'string' &&
        e.code.startsWith('ERR_PARSE_ARGS_'))
    ) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}
