import { z } from 'zod';
import type { Api, RouteModule } from '../http/api';
import { HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import {
  ImportFormatSchema,
  ImportResultSchema,
  type ImportFormat,
} from '../../shared/api/cameras';
import { importCameras } from './importCameras';
import { cameraErrors } from './registryRoutes';
import { actorOf } from '../http/guard';

/** A registry of 100,000 cameras as CSV is about 15 MiB. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

function formatOf(asked: ImportFormat | undefined, contentType: string | undefined): ImportFormat {
  if (asked) return asked;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/geo+json' || type === 'application/json') return 'geojson';
  throw new HttpError(400, 'Say which format this is: ?format=csv or ?format=geojson.');
}

export const importRoutes: RouteModule = (api, ctx) => {
  // The CSV and GeoJSON parsers exist only inside this plugin: no other route takes these types.
  void api.register(async (scope: Api) => {
    const asText = { parseAs: 'string' as const, bodyLimit: IMPORT_BODY_LIMIT };
    scope.addContentTypeParser('text/csv', asText, (_req, body, done) => done(null, body));
    // Kept as text: the importer parses it and says what is wrong if it is not GeoJSON.
    scope.addContentTypeParser('application/geo+json', asText, (_req, body, done) =>
      done(null, body),
    );

    scope.post(
      '/v1/cameras/import',
      {
        config: { access: 'cameras.import' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          summary:
            'Import cameras from CSV (text/csv) or GeoJSON (application/geo+json): good rows are created, bad rows reported',
          tags: ['cameras'],
          consumes: ['text/csv', 'application/geo+json', 'application/json'],
          querystring: z.object({ format: ImportFormatSchema.optional() }),
          body: z
            .unknown()
            .describe('CSV text with a header row, or a GeoJSON FeatureCollection of Points'),
          response: { 200: ImportResultSchema, 413: ApiErrorSchema, ...cameraErrors },
        },
      },
      async (req) =>
        importCameras(
          ctx,
          { format: formatOf(req.query.format, req.headers['content-type']), content: req.body },
          actorOf(req),
        ),
    );
  });
};
