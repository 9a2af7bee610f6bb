import Fastify, { type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Store } from './store/store';
import type { Clock } from '../shared/time/clock';
import type { ServerConfig } from './config';
import type { ServerContext } from './context';
import type { Api } from './http/api';
import { AccessTokens, loadSigningKey } from './auth/accessTokens';
import { EventHub } from './events/eventHub';
import { ChangeRecorder } from './events/recordChange';
import { installErrorHandler } from './http/errorHandler';
import { installGuard, type RouteAccess } from './http/guard';
import { installInputHygiene } from './http/inputHygiene';
import { clientErrorHandler, frameworkErrors, installUrlLimit } from './http/clientErrors';
import { ROUTE_MODULES } from './routes';
import { startGrantSweeper } from './cameras/grantSweeper';
import { TaskSupervisor } from './runtime/taskSupervisor';
import { DEFAULT_TIMING, type BackgroundTiming } from './runtime/backgroundTiming';
import { AuditTrail } from './audit/checkpointer';
import type { AuditSigningKey } from './audit/signingKey';
import { SignInThrottle } from './auth/signInThrottle';
import { purgerOf } from './retention/retentionPurge';
import { startMailOutbox } from './mail/mailOutbox';
import { sealPlainCredentials } from './cameras/sealCredentials';

/** JSON bodies above this are refused with 413; routes that take files set their own limit. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

export interface AppDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly https?: { key: Buffer; cert: Buffer } | undefined;
  /** Background intervals and backoff; tests shorten them. */
  readonly timing?: Partial<BackgroundTiming> | undefined;
  /**
   * The audit checkpoint key. Given, the app signs a checkpoint at start, on the configured
   * schedule and at close, and saves each as its anchor (config.auditAnchorFile).
   */
  readonly auditKey?: AuditSigningKey | undefined;
}

/** What each route declared it needs (a test walks them all). */
export interface RouteAccessEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

export interface App {
  readonly api: Api;
  readonly ctx: ServerContext;
  readonly signInThrottle: SignInThrottle;
  readonly routes: readonly RouteAccessEntry[];
  close(): Promise<void>;
}

/** The services routes use, without HTTP: also what the command-line tool runs on. */
export async function createServerContext(
  deps: Pick<AppDeps, 'store' | 'clock' | 'config' | 'logger' | 'timing' | 'auditKey'>,
): Promise<ServerContext> {
  const timing: BackgroundTiming = { ...DEFAULT_TIMING, ...deps.timing };
  const tasks = new TaskSupervisor(deps.logger, timing.retry);
  const hub = new EventHub(deps.store, tasks);
  await hub.start();
  const tokens = new AccessTokens(await loadSigningKey(deps.store), deps.clock);
  // Group commit pays for a flush to disk shared by many changes (PostgreSQL). Embedded PGlite
  // has no such flush to share and its savepoints are dear, so there each change goes alone
  // (measured: PostgreSQL 172 -> 395 changes/s at 8 writers; PGlite 152 -> 77 at 32).
  const recorder = new ChangeRecorder(
    deps.store,
    deps.clock,
    () => hub.wake(),
    deps.store.kind === 'postgres' ? 256 : 1,
  );
  const record: ServerContext['record'] = async (change) => {
    const outcome = await recorder.record(change);
    audit.noteWritten(outcome.audit, outcome.prevId);
    return outcome;
  };
  const audit = new AuditTrail({
    store: deps.store,
    clock: deps.clock,
    log: deps.logger,
    record,
    key: deps.auditKey ?? null,
    anchorFile: deps.auditKey ? deps.config.auditAnchorFile : null,
  });
  const ctx: ServerContext = {
    store: deps.store,
    clock: deps.clock,
    config: deps.config,
    log: deps.logger,
    tokens,
    hub,
    tasks,
    timing,
    record,
    audit,
  };
  // Migration 0020's second half: credentials from before it are sealed before anything reads them.
  await sealPlainCredentials(ctx);
  return ctx;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const options: FastifyServerOptions = {
    loggerInstance: deps.logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Ids in URLs are short; a 2 KiB path is an attack, not a request.
    routerOptions: { maxParamLength: 200 },
    // Refusals from the HTTP parser and the router get the API's error shape too.
    clientErrorHandler,
    frameworkErrors,
  };
  // Fastify types HTTPS servers separately; the routes do not care which one they run on.
  const fastify = Fastify(
    deps.https ? ({ ...options, https: deps.https } as FastifyServerOptions) : options,
  );
  const api = fastify.withTypeProvider<ZodTypeProvider>() as unknown as Api;
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);

  const baseCtx = await createServerContext(deps);
  const signInThrottle = new SignInThrottle(baseCtx);
  // Mail queued by a change goes out after it commits, retried until the SMTP server takes it.
  const mail = startMailOutbox(baseCtx);
  const ctx: ServerContext = { ...baseCtx, signInThrottle, mail };
  const hub = ctx.hub;

  installErrorHandler(api);
  installUrlLimit(api);
  await api.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Watchfloor RTCC API',
        description: 'The system of record behind the Watchfloor console.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          integrationKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An integration key (`wf integration add`), for /v1/ingest only',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await api.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  const routes: RouteAccessEntry[] = [];
  api.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: r.url, access: r.config?.access });
    }
  });
  installGuard(api, ctx);
  installInputHygiene(api);
  await signInThrottle.install(api);

  for (const register of ROUTE_MODULES) register(api, ctx);

  api.get('/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    api.swagger(),
  );

  await api.ready();
  // Ends stream grants whose owner's policy has closed; stopped before the store goes away.
  const sweeper = startGrantSweeper(ctx, ctx.timing.grantSweepMs);
  if (deps.auditKey) ctx.audit.start(deps.config.auditCheckpointMinutes * 60_000);
  // Refused sign-ins are written as one audit row per address or account once their window ends.
  const throttleFlush = ctx.tasks.every('auth.throttle.flush', 60_000, () =>
    signInThrottle.flush(),
  );
  return {
    api,
    ctx,
    signInThrottle,
    routes,
    async close() {
      await throttleFlush.cancel();
      await signInThrottle.flush(true).catch(() => undefined);
      await sweeper.stop();
      // A retention purge under way stops at its next batch and records why.
      await purgerOf.get(ctx)?.stop();
      await hub.stop();
      await api.close();
      // The last checkpoint of the run covers everything the requests above wrote.
      await ctx.audit.stop();
      // Whatever is left (streams' rechecks) stops after the sockets have closed.
      await ctx.tasks.stop();
      mail.close();
    },
  };
}
