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
import type { Clock } from './clock';
import type { ServerConfig } from './config';
import type { ServerContext } from './context';
import type { Api } from './http/api';
import { AccessTokens, loadSigningKey } from './auth/accessTokens';
import { EventHub } from './events/eventHub';
import { ChangeRecorder } from './events/recordChange';
import { installErrorHandler } from './http/errorHandler';
import { installGuard, type RouteAccess } from './http/guard';
import { installInputHygiene } from './http/inputHygiene';
import { ROUTE_MODULES } from './routes';
import { startGrantSweeper } from './cameras/grantSweeper';
import { SignInThrottle } from './auth/signInThrottle';

/** JSON bodies above this are refused with 413; routes that take files set their own limit. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

export interface AppDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly https?: { key: Buffer; cert: Buffer } | undefined;
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
  deps: Pick<AppDeps, 'store' | 'clock' | 'config' | 'logger'>,
): Promise<ServerContext> {
  const hub = new EventHub(deps.store);
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
  return {
    store: deps.store,
    clock: deps.clock,
    config: deps.config,
    log: deps.logger,
    tokens,
    hub,
    record: (change) => recorder.record(change),
  };
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const options: FastifyServerOptions = {
    loggerInstance: deps.logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Ids in URLs are short; a 2 KiB path is an attack, not a request.
    routerOptions: { maxParamLength: 200 },
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
  const ctx: ServerContext = { ...baseCtx, signInThrottle };
  const hub = ctx.hub;

  installErrorHandler(api);
  await api.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Watchfloor RTCC API',
        description: 'The system of record behind the Watchfloor console.',
        version: '1',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
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
  const sweeper = startGrantSweeper(ctx);
  // Refused sign-ins are written as one audit row per address or account once their window ends.
  const throttleFlush = setInterval(() => {
    signInThrottle
      .flush()
      .catch((err: unknown) => deps.logger.warn({ err }, 'throttle audit failed'));
  }, 60_000);
  throttleFlush.unref();
  return {
    api,
    ctx,
    signInThrottle,
    routes,
    async close() {
      clearInterval(throttleFlush);
      await signInThrottle.flush(true).catch(() => undefined);
      await sweeper.stop();
      await hub.stop();
      await api.close();
    },
  };
}
