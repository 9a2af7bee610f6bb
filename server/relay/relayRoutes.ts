import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../http/api';
import type { ServerContext } from '../context';
import { apiError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import { selectRelayFfmpeg } from './ffmpegBinary';
import { MediaRelay, type RelayVariant } from './mediaRelay';
import { findRelayGrant, liveGrantIds } from './relayGrants';
import { cameraSecretsOf } from '../cameras/cameraSecrets';
import { RELAY_TOKEN_PATTERN } from './relayTokens';

/** How often streams in flight are checked against their grants' expiry. */
export const RELAY_RECHECK_MS = 1_000;

const Params = z.object({
  token: z.string().regex(RELAY_TOKEN_PATTERN, 'not a relay token'),
  variant: z.enum(['main', 'sub']),
});
const RefParams = Params.extend({ ref: z.string().min(1).max(200) });

const errors = { 400: ApiErrorSchema, 404: ApiErrorSchema, 410: ApiErrorSchema };

/** The relay of the app, for tests that drive `recheck()` themselves. */
export const relayOf = new WeakMap<ServerContext, MediaRelay>();

/**
 * `/v1/relay/<token>/<variant>[/u/<ref>]`: a grant's holder pulls the camera here. The token is
 * the credential (ffmpeg on the workstation cannot renew a bearer token mid-stream), so the route
 * is public to the guard and checks the token itself, on every request; its request log lines are
 * off, so the token is never written to the log.
 */
export const relayRoutes: RouteModule = (api, ctx) => {
  let ffmpegPath: string | null = null;
  const relay = new MediaRelay({
    findGrant: (sha) =>
      findRelayGrant(ctx.store, cameraSecretsOf(ctx.config), sha, ctx.clock.now()),
    liveGrants: (ids) => liveGrantIds(ctx.store, ids, ctx.clock.now()),
    ffmpegPath: () => {
      if (ffmpegPath === null) {
        const choice = selectRelayFfmpeg();
        ctx.log.info(
          { ffmpeg: choice.path, version: choice.version?.text ?? null },
          `relay ffmpeg: ${choice.why}`,
        );
        ffmpegPath = choice.path;
      }
      return ffmpegPath;
    },
    log: ctx.log,
  });
  relayOf.set(ctx, relay);

  let checking: Promise<unknown> | null = null;
  const recheck = () => {
    if (checking) return;
    checking = relay
      .recheck()
      .catch((err: unknown) => ctx.log.warn({ err }, 'relay grant check failed'))
      .finally(() => {
        checking = null;
      });
  };
  // A revocation commits an event: check at once. Expiry commits nothing: the timer finds it.
  const unsubscribe = ctx.hub.subscribe(recheck);
  const timer = setInterval(recheck, RELAY_RECHECK_MS);
  timer.unref();
  api.addHook('onClose', async () => {
    clearInterval(timer);
    unsubscribe();
    relay.cutAll();
    await checking;
  });

  const serve = async (
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    variant: RelayVariant,
    ref: string | null,
  ) => {
    const aborted = new AbortController();
    req.raw.once('close', () => aborted.abort());
    reply.raw.once('close', () => aborted.abort());
    const answer = await relay.open(token, variant, ref, aborted.signal);
    if (answer.kind === 'error') {
      return reply.status(answer.status).send(apiError(answer.status, answer.message));
    }
    if (answer.kind === 'playlist') {
      return reply
        .header('content-type', 'application/vnd.apple.mpegurl')
        .header('cache-control', 'no-store')
        .send(answer.body);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': answer.contentType, 'cache-control': 'no-store' });
    const release = relay.hold(answer.grantId, () => {
      answer.body.destroy();
      raw.destroy();
    });
    try {
      await pipeline(answer.body, raw);
    } catch {
      // The client left or the grant ended: either way the stream is over.
    } finally {
      release();
      answer.body.destroy();
    }
  };

  const route = {
    config: { access: 'public' as const },
    logLevel: 'warn' as const,
  };

  api.get(
    '/v1/relay/:token/:variant',
    {
      ...route,
      schema: {
        summary: "Pull a camera through the server under a live grant (the grant's relay path)",
        tags: ['streams'],
        params: Params,
        response: errors,
      },
    },
    (req, reply) => serve(req, reply, req.params.token, req.params.variant, null),
  );

  api.get(
    '/v1/relay/:token/:variant/u/:ref',
    {
      ...route,
      schema: {
        summary: "A resource an HLS camera's playlist names, through the relay",
        tags: ['streams'],
        params: RefParams,
        response: errors,
      },
    },
    (req, reply) => serve(req, reply, req.params.token, req.params.variant, req.params.ref),
  );

  api.get(
    '/v1/relay/:token/:variant/refused',
    {
      ...route,
      schema: {
        summary: 'Where the relay sends playlist entries outside the camera: always refused',
        tags: ['streams'],
        params: Params,
        response: { 403: ApiErrorSchema },
      },
    },
    async (_req, reply) => {
      await reply
        .status(403)
        .send(
          apiError(
            403,
            "The camera's playlist named a resource outside the camera; the relay does not fetch it.",
          ),
        );
    },
  );
};
