import { z } from 'zod';
import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { ApiErrorSchema } from '../../shared/api/errors';
import {
  CAMERA_ENDPOINTS,
  CameraIdParamsSchema,
  GrantEndedSchema,
  GrantIdParamsSchema,
  GrantRequestSchema,
  GrantStatusSchema,
  SharingRefusalSchema,
  StreamGrantSchema,
} from '../../shared/api/cameras';
import { endGrant, issueGrant, renewGrant } from './grantService';
import { revealOwnerContact } from './ownerContact';
import { steerCamera } from './ptzService';
import { byteCap, openRecordingView } from './recordingView';
import { cameraErrors } from './registryRoutes';

/** A refusal by the owner's policy, or the guard's own 403 for a missing permission. */
const Forbidden = z.union([SharingRefusalSchema, ApiErrorSchema]);

const SMALL_BODY_LIMIT = 8 * 1024;

export const grantRoutes: RouteModule = (api, ctx) => {
  serve(api, CAMERA_ENDPOINTS.ownerContact, async ({ req, params, body }) => ({
    cameraId: params.id,
    owner: await revealOwnerContact(ctx, principalOf(req), params.id, body.reason),
  }));

  serve(api, CAMERA_ENDPOINTS.ptz, async ({ req, params, body }) =>
    steerCamera(ctx, principalOf(req), params.id, body.command),
  );

  serve(api, CAMERA_ENDPOINTS.recording, async ({ req, reply, params, query }) => {
    const upstream = await openRecordingView(ctx, principalOf(req), params.id, query);
    const capped = byteCap(ctx.config.recordingMaxBytes);
    upstream.once('error', (err) => capped.destroy(err));
    // The tile went away: stop reading the source.
    reply.raw.once('close', () => upstream.destroy());
    const length = upstream.headers['content-length'];
    if (typeof length === 'string' && /^\d+$/.test(length)) reply.header('content-length', length);
    return reply
      .status(200)
      .header('content-type', 'video/mp4')
      .header('cache-control', 'no-store')
      .send(upstream.pipe(capped));
  });

  api.post(
    '/v1/cameras/:id/grants',
    {
      config: { access: 'streams.view' },
      bodyLimit: SMALL_BODY_LIMIT,
      schema: {
        summary:
          "Ask to view a camera for a stated reason: checks the owner's policy, returns a short-lived grant with relay paths bound to it (never the camera's credentials)",
        tags: ['streams'],
        params: CameraIdParamsSchema,
        body: GrantRequestSchema,
        response: { 200: StreamGrantSchema, ...cameraErrors, 403: Forbidden },
      },
    },
    async (req, reply) => {
      const outcome = await issueGrant(ctx, principalOf(req), req.params.id, req.body);
      if ('refused' in outcome) return reply.status(403).send(outcome.refused);
      return outcome.granted;
    },
  );

  api.post(
    '/v1/grants/:id/renew',
    {
      config: { access: 'streams.view' },
      schema: {
        summary: "Extend one's own grant while the owner's policy still allows it",
        tags: ['streams'],
        params: GrantIdParamsSchema,
        response: { 200: GrantStatusSchema, ...cameraErrors, 403: Forbidden },
      },
    },
    async (req, reply) => {
      const outcome = await renewGrant(ctx, principalOf(req), req.params.id);
      if ('refused' in outcome) return reply.status(403).send(outcome.refused);
      return outcome.granted;
    },
  );

  api.delete(
    '/v1/grants/:id',
    {
      config: { access: 'streams.view' },
      schema: {
        summary: "End one's own grant early (the console stopped viewing)",
        tags: ['streams'],
        params: GrantIdParamsSchema,
        response: { 200: GrantEndedSchema, ...cameraErrors },
      },
    },
    async (req) => endGrant(ctx, principalOf(req), req.params.id),
  );
};
