import type { FastifyRequest } from 'fastify';
import type { Api, RouteModule } from '../http/api';
import { actorOf, principalOf } from '../http/guard';
import { HttpError } from '../http/errorHandler';
import { sendStoredMedia } from '../media/sendStoredMedia';
import { serve } from '../http/serve';
import { integrationActorOf, integrationOf } from '../integrations/integrationAuth';
import {
  ALERT_ENDPOINTS,
  ALERT_INGEST_ENDPOINTS,
  type GunshotDetection,
} from '../../shared/api/alerts';
import {
  acknowledgeAlert,
  EVIDENCE_GRANT_MS,
  ingestAlerts,
  linkAlertToIncident,
  openAlertEvidence,
  type AlertInput,
  type AlertSource,
} from './alertChanges';
import { evidenceOpenedSince, listAlerts, storedEvidence } from './alertRepository';
import { startEvidenceWorker } from './alertEvidenceWorker';
import { alertFromCap } from './capAlert';
import { ingestTracks } from './trackChanges';
import { listTracks } from './trackRepository';

const HOUR_MS = 3_600_000;
const CAP_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];

function gunshotInput(d: GunshotDetection, path: string): AlertInput {
  const type = d.type ?? (d.rounds === 1 ? 'single' : 'multiple');
  return {
    kind: 'gunshot',
    senderId: d.id,
    occurredAt: d.time,
    position: d.position,
    ...(d.updatedAt ? { sourceUpdatedAt: d.updatedAt } : {}),
    path,
    details: { type, rounds: d.rounds ?? null },
  };
}

/** Sensor ingest (integration keys), the alert tray's calls and the track lines. */
export const alertRoutes: RouteModule = (api, ctx) => {
  const evidence = startEvidenceWorker(ctx);
  const source = (req: FastifyRequest, format: AlertSource['format']): AlertSource => {
    const integration = integrationOf(req);
    return {
      integrationId: integration.id,
      integrationName: integration.name,
      actor: integrationActorOf(req),
      format,
    };
  };
  const kick = () => evidence.kick();

  serve(api, ALERT_INGEST_ENDPOINTS.lprHit, async ({ req, body }) => ({
    alerts: await ingestAlerts(
      ctx,
      [
        {
          kind: 'lpr',
          senderId: body.id,
          occurredAt: body.time,
          position: body.reader.position,
          path: 'body',
          ...(body.imageUrl ? { imageUrl: body.imageUrl } : {}),
          details: {
            plate: body.plate.toUpperCase(),
            plateState: body.state ?? null,
            confidence: body.confidence ?? null,
            readerId: body.reader.id,
            hotList: body.hotList.name,
            hotListEntry: body.hotList.entry ?? null,
            reason: body.hotList.reason,
          },
        },
      ],
      source(req, 'lpr'),
      kick,
    ),
  }));

  serve(api, ALERT_INGEST_ENDPOINTS.gunshot, async ({ req, body }) => ({
    alerts: await ingestAlerts(ctx, [gunshotInput(body, 'body')], source(req, 'gunshot'), kick),
  }));

  serve(api, ALERT_INGEST_ENDPOINTS.gunshotBatch, async ({ req, body }) => ({
    alerts: await ingestAlerts(
      ctx,
      body.detections.map((d, i) => gunshotInput(d, `body.detections.${i}`)),
      source(req, 'gunshot'),
      kick,
    ),
  }));

  // CAP is XML: its parser exists only inside this plugin, and keeps the body as text.
  void api.register(async (scope: Api) => {
    const asText = { parseAs: 'string' as const, bodyLimit: ALERT_INGEST_ENDPOINTS.cap.bodyLimit };
    scope.addContentTypeParser(CAP_TYPES, asText, (_req, body, done) => done(null, body));
    serve(scope, ALERT_INGEST_ENDPOINTS.cap, async ({ req, body }) => ({
      alerts: await ingestAlerts(ctx, [alertFromCap(body)], source(req, 'cap'), kick),
    }));
  });

  serve(api, ALERT_INGEST_ENDPOINTS.tracks, async ({ req, body }) =>
    ingestTracks(ctx, body, source(req, 'tracks')),
  );

  serve(api, ALERT_ENDPOINTS.list, async ({ query }) => ({
    alerts: await listAlerts(ctx.store, new Date(ctx.clock.now() - query.withinHours * HOUR_MS)),
  }));

  serve(api, ALERT_ENDPOINTS.acknowledge, async ({ req, params, body }) =>
    acknowledgeAlert(ctx, params.id, body.note, actorOf(req)),
  );

  serve(api, ALERT_ENDPOINTS.linkIncident, async ({ req, params, body }) =>
    linkAlertToIncident(ctx, params.id, body.number, actorOf(req)),
  );

  serve(api, ALERT_ENDPOINTS.openEvidence, async ({ req, params, body }) => {
    const p = principalOf(req);
    return openAlertEvidence(ctx, { id: p.userId, name: p.username }, params.id, body.reason);
  });

  serve(api, ALERT_ENDPOINTS.evidence, async ({ req, reply, params }) => {
    const since = new Date(ctx.clock.now() - EVIDENCE_GRANT_MS);
    if (!(await evidenceOpenedSince(ctx.store, params.id, principalOf(req).userId, since))) {
      throw new HttpError(
        404,
        'This evidence is not open for you (or no longer): open it again with a reason.',
      );
    }
    const file = await storedEvidence(ctx.store, params.id, params.n);
    if (!file) throw new HttpError(404, 'That image is not stored (yet).');
    return sendStoredMedia(req, reply, await evidence.store(), file);
  });

  serve(api, ALERT_ENDPOINTS.tracks, async ({ query }) => ({
    tracks: await listTracks(ctx.store, new Date(ctx.clock.now() - query.withinHours * HOUR_MS)),
  }));
};
