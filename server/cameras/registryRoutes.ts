import { z } from 'zod';
import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import { CameraKindSchema, CameraSchema, NewCameraSchema } from '../../shared/domain/cameras';
import {
  AlarmRequestSchema,
  CameraFeatureCollectionSchema,
  CameraIdParamsSchema,
  CAMERA_ENDPOINTS,
  CameraPatchSchema,
} from '../../shared/api/cameras';
import { listCamerasJson } from './cameraSearch';
import { findCamera } from './cameraRepository';
import { cameraFromRow } from './cameraRows';
import { createCamera, retireCamera, setCameraAlarm, updateCamera } from './cameraChanges';
import { exportCameras } from './cameraExport';

export const cameraErrors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};

/**
 * The export writes every camera at once. Checking each one against the response schema again
 * would cost several times the query; the features are built field by field from public
 * columns only (cameraFromRow, columnsOfCamera), so the reply is written straight out.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

const CAMERA_BODY_LIMIT = 64 * 1024;

export const registryRoutes: RouteModule = (api, ctx) => {
  serve(api, CAMERA_ENDPOINTS.list, async ({ query, reply }) => {
    const json = await listCamerasJson(ctx.store, query);
    // Already the JSON of a CameraListResponse, built by the database from public columns:
    // sent as it is, like any string with a JSON content type.
    return reply.type('application/json; charset=utf-8').send(json as never);
  });

  api.get(
    '/v1/cameras/export.geojson',
    {
      config: { access: 'cameras.read' },
      serializerCompiler: plainJson,
      schema: {
        summary: 'Export the registry as a GeoJSON FeatureCollection (public fields only)',
        tags: ['cameras'],
        querystring: z.object({
          status: z.enum(['active', 'retired', 'all']).default('active'),
          kind: z
            .preprocess(
              (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
              z.array(CameraKindSchema).min(1).max(3),
            )
            .optional(),
        }),
        response: { 200: CameraFeatureCollectionSchema, ...cameraErrors },
      },
    },
    async (req, reply) => {
      const collection = await exportCameras(ctx.store, {
        status: req.query.status,
        kinds: req.query.kind,
      });
      const actor = actorOf(req);
      await ctx.record({
        audit: {
          actorId: actor.id,
          actorName: actor.name,
          action: 'camera.export',
          targetType: 'camera',
          outcome: 'success',
          details: { format: 'geojson', ...req.query, count: collection.features.length },
        },
        event: null,
      });
      reply.type('application/geo+json; charset=utf-8');
      return collection;
    },
  );

  api.get(
    '/v1/cameras/:id',
    {
      config: { access: 'cameras.read' },
      schema: {
        summary: 'One camera (public fields)',
        tags: ['cameras'],
        params: CameraIdParamsSchema,
        response: { 200: CameraSchema, ...cameraErrors },
      },
    },
    async (req) => {
      const row = await findCamera(ctx.store, req.params.id);
      if (!row) throw new HttpError(404, `No camera ${req.params.id}.`);
      return cameraFromRow(row);
    },
  );

  api.post(
    '/v1/cameras',
    {
      config: { access: 'cameras.write' },
      bodyLimit: CAMERA_BODY_LIMIT,
      schema: {
        summary: 'Register a camera (registered, integrated or agency)',
        tags: ['cameras'],
        body: NewCameraSchema,
        response: { 201: CameraSchema, ...cameraErrors },
      },
    },
    async (req, reply) => {
      const camera = await createCamera(ctx, req.body, actorOf(req));
      return reply.status(201).send(camera);
    },
  );

  api.patch(
    '/v1/cameras/:id',
    {
      config: { access: 'cameras.write' },
      bodyLimit: CAMERA_BODY_LIMIT,
      schema: {
        summary:
          "Change a camera: name, location, address, notes, retention, the owner's sharing policy, owner contact, source",
        tags: ['cameras'],
        params: CameraIdParamsSchema,
        body: CameraPatchSchema,
        response: { 200: CameraSchema, ...cameraErrors },
      },
    },
    async (req) => (await updateCamera(ctx, req.params.id, req.body, actorOf(req))).camera,
  );

  api.post(
    '/v1/cameras/:id/retire',
    {
      config: { access: 'cameras.write' },
      schema: {
        summary: 'Retire a camera: it leaves the map and every grant on it ends',
        tags: ['cameras'],
        params: CameraIdParamsSchema,
        response: { 200: CameraSchema, ...cameraErrors },
      },
    },
    async (req) => retireCamera(ctx, req.params.id, actorOf(req)),
  );

  api.post(
    '/v1/cameras/:id/alarm',
    {
      config: { access: 'cameras.write' },
      schema: {
        summary: "Record that an integrated camera's owner raised or lowered their alarm",
        tags: ['cameras'],
        params: CameraIdParamsSchema,
        body: AlarmRequestSchema,
        response: { 200: CameraSchema, ...cameraErrors },
      },
    },
    async (req) => setCameraAlarm(ctx, req.params.id, req.body.active, actorOf(req)),
  );
};
