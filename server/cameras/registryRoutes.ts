import { z } from 'zod';
import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { auditBy } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import { CameraKindSchema } from '../../shared/domain/cameras';
import { CameraFeatureCollectionSchema, CAMERA_ENDPOINTS } from '../../shared/api/cameras';
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
      await ctx.record({
        audit: auditBy(actorOf(req), {
          action: 'camera.export',
          targetType: 'camera',
          outcome: 'success',
          details: { format: 'geojson', ...req.query, count: collection.features.length },
        }),
        event: null,
      });
      reply.type('application/geo+json; charset=utf-8');
      return collection;
    },
  );

  serve(api, CAMERA_ENDPOINTS.get, async ({ params }) => {
    const row = await findCamera(ctx.store, params.id);
    if (!row) throw new HttpError(404, `No camera ${params.id}.`);
    return cameraFromRow(row);
  });

  serve(api, CAMERA_ENDPOINTS.create, async ({ req, body }) =>
    createCamera(ctx, body, actorOf(req)),
  );

  serve(
    api,
    CAMERA_ENDPOINTS.update,
    async ({ req, params, body }) =>
      (await updateCamera(ctx, params.id, body, actorOf(req))).camera,
  );

  serve(api, CAMERA_ENDPOINTS.retire, async ({ req, params }) =>
    retireCamera(ctx, params.id, actorOf(req)),
  );

  serve(api, CAMERA_ENDPOINTS.alarm, async ({ req, params, body }) =>
    setCameraAlarm(ctx, params.id, body.active, actorOf(req)),
  );
};
