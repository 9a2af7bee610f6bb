import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import {
  EidoMessageSchema,
  INCIDENT_ENDPOINTS,
  INCIDENT_INGEST_ENDPOINTS,
} from '../../shared/api/incidents';
import { integrationActorOf, integrationOf } from '../integrations/integrationAuth';
import type { FastifyRequest } from 'fastify';
import {
  findIncident,
  incidentCameraViews,
  incidentDetail,
  listIncidents,
} from './incidentRepository';
import {
  addIncidentNote,
  ingestIncidents,
  linkIncident,
  reconcileOpenIncidents,
  type IngestSource,
} from './incidentChanges';
import { incidentsFromEido } from './eidoIncidents';

const HOUR_MS = 3_600_000;

/** CAD ingest (integration keys) and the console's incident calls; shared/api/incidents.ts. */
export const incidentRoutes: RouteModule = (api, ctx) => {
  const source = (req: FastifyRequest, format: 'cad' | 'eido', messageId?: string) =>
    ({
      integrationId: integrationOf(req).id,
      actor: integrationActorOf(req),
      format,
      ...(messageId ? { messageId } : {}),
    }) satisfies IngestSource;

  serve(api, INCIDENT_INGEST_ENDPOINTS.cadIncident, async ({ req, body }) => {
    const results = await ingestIncidents(
      ctx,
      [
        {
          number: body.number,
          callType: body.callType,
          priority: body.priority,
          status: body.status,
          location: {
            address: body.location.address ?? null,
            position: body.location.position ?? null,
            radiusM: null,
          },
          receivedAt: body.receivedAt,
          ...(body.updatedAt ? { sourceUpdatedAt: body.updatedAt } : {}),
          units: body.units,
          narrative: body.narrative,
        },
      ],
      source(req, 'cad'),
    );
    return { incidents: results };
  });

  serve(api, INCIDENT_INGEST_ENDPOINTS.cadActive, async ({ req, body }) =>
    reconcileOpenIncidents(ctx, body.open, source(req, 'cad')),
  );

  serve(api, INCIDENT_INGEST_ENDPOINTS.cadEido, async ({ req, body }) => {
    const message = EidoMessageSchema.safeParse(body);
    if (!message.success) {
      const issues = message.error.issues.map((i) => ({
        path: ['body', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      const summary = issues
        .slice(0, 3)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ');
      throw new HttpError(400, `Invalid body: ${summary}`, issues);
    }
    const { messageId, upserts } = incidentsFromEido(message.data);
    return { incidents: await ingestIncidents(ctx, upserts, source(req, 'eido', messageId)) };
  });

  serve(api, INCIDENT_ENDPOINTS.list, async ({ query }) => ({
    incidents: await listIncidents(
      ctx.store,
      new Date(ctx.clock.now() - query.closedWithinHours * HOUR_MS),
    ),
  }));

  serve(api, INCIDENT_ENDPOINTS.get, async ({ params }) => {
    const detail = await incidentDetail(ctx.store, params.id);
    if (!detail) throw new HttpError(404, 'There is no such incident.');
    return detail;
  });

  serve(api, INCIDENT_ENDPOINTS.views, async ({ params }) => {
    const found = await findIncident(ctx.store, params.id);
    if (!found) throw new HttpError(404, 'There is no such incident.');
    return { views: await incidentCameraViews(ctx.store, found.number) };
  });

  serve(api, INCIDENT_ENDPOINTS.addNote, async ({ req, params, body }) =>
    addIncidentNote(ctx, params.id, body.text, actorOf(req)),
  );

  serve(api, INCIDENT_ENDPOINTS.link, async ({ req, params, body }) =>
    linkIncident(ctx, params.id, body, actorOf(req)),
  );
};
