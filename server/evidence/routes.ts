import { Readable } from 'node:stream';
import type { Api, RouteModule } from '../http/api';
import { actorOf, principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import { sendStoredMedia } from '../media/sendStoredMedia';
import { CLIP_BODY_LIMIT, EVIDENCE_ENDPOINTS } from '../../shared/api/evidence';
import {
  addReplayClip,
  createLink,
  evidenceServices,
  exportPackage,
  fetchRecording,
  linkedFile,
  openLink,
  revokeLink,
  takeStill,
} from './evidenceChanges';
import {
  listCustody,
  listEvidenceExports,
  listEvidenceFiles,
  listEvidenceLinks,
} from './evidenceRepository';
import { noteFootageFetched, requirePullOfCase } from '../pulls/pullChanges';

/** Evidence (docs/evidence.md); shared/api/evidence.ts declares the endpoints. */
export const evidenceRoutes: RouteModule = (api, ctx) => {
  const services = evidenceServices(ctx);

  serve(api, EVIDENCE_ENDPOINTS.fetchRecording, async ({ req, body }) => {
    if (body.pullId) await requirePullOfCase(ctx.store, body.pullId, body.caseNumber);
    const file = await fetchRecording(ctx, services, principalOf(req), body);
    if (body.pullId) await noteFootageFetched(ctx, body.pullId, file, actorOf(req));
    return file;
  });

  serve(api, EVIDENCE_ENDPOINTS.still, async ({ req, params, body }) =>
    takeStill(ctx, services, actorOf(req), params.id, body.atSec),
  );

  serve(api, EVIDENCE_ENDPOINTS.caseEvidence, async ({ params }) => {
    const caseNumber = params.caseNumber;
    return {
      caseNumber,
      files: await listEvidenceFiles(ctx.store, caseNumber),
      exports: await listEvidenceExports(ctx.store, caseNumber),
      custody: await listCustody(ctx.store, caseNumber),
      links: await listEvidenceLinks(ctx.store, caseNumber),
    };
  });

  serve(api, EVIDENCE_ENDPOINTS.exportPackage, async ({ req, params, body }) =>
    exportPackage(ctx, services, actorOf(req), params.caseNumber, body.pullId),
  );

  serve(api, EVIDENCE_ENDPOINTS.key, async () => {
    const key = services.key();
    return {
      algorithm: 'Ed25519' as const,
      publicKeyPem: key.publicKeyPem,
      fingerprint: key.fingerprint,
    };
  });

  serve(api, EVIDENCE_ENDPOINTS.createLink, async ({ req, body }) =>
    createLink(ctx, actorOf(req), body),
  );

  serve(api, EVIDENCE_ENDPOINTS.revokeLink, async ({ req, params }) =>
    revokeLink(ctx, actorOf(req), params.id),
  );

  serve(api, EVIDENCE_ENDPOINTS.openLink, async ({ req, params }) =>
    openLink(ctx, principalOf(req), params.token),
  );

  serve(api, EVIDENCE_ENDPOINTS.linkVideo, async ({ req, reply, params }) => {
    const file = await linkedFile(ctx, params.token);
    return sendStoredMedia(req, reply, await services.media(), file);
  });

  // A replay clip is at most two minutes of one camera: read whole, then stored. Only this route
  // takes video/mp4.
  void api.register(async (scope: Api) => {
    scope.addContentTypeParser(
      'video/mp4',
      { parseAs: 'buffer', bodyLimit: CLIP_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    serve(scope, EVIDENCE_ENDPOINTS.addClip, async ({ req, query, body }) => {
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new HttpError(415, 'Send the clip as the request body, with content-type video/mp4.');
      }
      if (query.pullId) await requirePullOfCase(ctx.store, query.pullId, query.caseNumber);
      const media = await services.media();
      const put = await media.putStream(Readable.from([body]), {
        maxBytes: ctx.config.recordingMaxBytes,
      });
      if ('tooLarge' in put) {
        throw new HttpError(413, 'The clip is larger than the largest recording kept.');
      }
      return addReplayClip(
        ctx,
        principalOf(req),
        {
          caseNumber: query.caseNumber,
          pullId: query.pullId ?? null,
          cameraId: query.cameraId,
          grantId: query.grantId,
          start: query.start,
          end: query.end,
          sha256: put.sha256,
          size: put.size,
        },
        query.sha256,
      );
    });
  });
};
