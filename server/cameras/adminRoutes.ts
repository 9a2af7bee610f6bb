import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import { auditBy } from '../audit/actor';
import { CAMERA_ADMIN_ENDPOINTS } from '../../shared/api/cameraAdmin';
import { findMediaTools, type MediaTools } from '../media/mediaTools';
import { cameraSecretsOf } from './cameraSecrets';
import { findCamera, findRecordingsSource, findSource } from './cameraRepository';
import { cameraAdminDetail } from './cameraAdminDetail';
import { liveSourceFromInput, recordingsSourceFromInput } from './sourceSealing';
import { testSource } from './sourceTest';
import { RECORDINGS_TEST_TIMEOUT_MS, testRecordings } from './recordingsTest';
import { importCameras } from './importCameras';
import { findDuplicatePairs, mergeCameras } from './cameraMerge';

/** What an admin does to the registry beyond its own routes (docs/cameras-admin.md). */
export const cameraAdminRoutes: RouteModule = (api, ctx) => {
  let tools: MediaTools | null = null;

  serve(api, CAMERA_ADMIN_ENDPOINTS.detail, async ({ req, params }) => {
    const detail = await cameraAdminDetail(ctx.store, params.id);
    if (!detail) throw new HttpError(404, `No camera ${params.id}.`);
    // The owner's contact is in the answer: who read it is on the trail, like any reveal.
    if (detail.owner) {
      await ctx.record({
        audit: auditBy(actorOf(req), {
          action: 'camera.admin.read',
          targetType: 'camera',
          targetId: params.id,
          outcome: 'success',
          details: { ownerContact: true },
        }),
        event: null,
      });
    }
    return detail;
  });

  serve(api, CAMERA_ADMIN_ENDPOINTS.testSource, async ({ req, body }) => {
    const secrets = cameraSecretsOf(ctx.config);
    let kept = null;
    if (body.cameraId !== undefined) {
      const camera = await findCamera(ctx.store, body.cameraId);
      if (!camera) throw new HttpError(404, `No camera ${body.cameraId}.`);
      kept = await findSource(ctx.store, secrets, body.cameraId);
      if (!kept && !body.source)
        throw new HttpError(409, `"${camera.name}" has no live source on file to test.`);
    }
    const source = body.source ? liveSourceFromInput(body.source, kept) : kept!;
    tools ??= findMediaTools();
    const result = await testSource(tools, source);
    await ctx.record({
      audit: auditBy(actorOf(req), {
        action: 'camera.source.test',
        targetType: 'camera',
        ...(body.cameraId ? { targetId: body.cameraId } : {}),
        outcome: result.ok ? 'success' : 'failure',
        details: { probe: result.probe, codec: result.codec, message: result.message },
      }),
      event: null,
    });
    return result;
  });

  // The recordings source as the live one above: typed in the form, or on file (with its
  // credentials when the form leaves them as they are).
  serve(api, CAMERA_ADMIN_ENDPOINTS.testRecordings, async ({ req, body }) => {
    const secrets = cameraSecretsOf(ctx.config);
    let kept = null;
    if (body.cameraId !== undefined) {
      const camera = await findCamera(ctx.store, body.cameraId);
      if (!camera) throw new HttpError(404, `No camera ${body.cameraId}.`);
      kept = await findRecordingsSource(ctx.store, secrets, body.cameraId);
      if (!kept && !body.recordings)
        throw new HttpError(409, `"${camera.name}" has no recordings source on file to test.`);
    }
    const source = body.recordings ? recordingsSourceFromInput(body.recordings, kept) : kept!;
    tools ??= findMediaTools();
    const result = await testRecordings(tools, source, {
      nowMs: ctx.clock.now(),
      maxBytes: ctx.config.recordingMaxBytes,
      timeoutMs: RECORDINGS_TEST_TIMEOUT_MS,
    });
    await ctx.record({
      audit: auditBy(actorOf(req), {
        action: 'camera.recordings.test',
        targetType: 'camera',
        ...(body.cameraId ? { targetId: body.cameraId } : {}),
        outcome: result.ok ? 'success' : 'failure',
        details: {
          range: result.range,
          httpStatus: result.httpStatus,
          bytes: result.bytes,
          probe: result.probe,
          container: result.container,
          codec: result.codec,
          message: result.message,
        },
      }),
      event: null,
    });
    return result;
  });

  serve(api, CAMERA_ADMIN_ENDPOINTS.importText, async ({ req, body }) =>
    importCameras(ctx, { format: body.format, content: body.content }, actorOf(req)),
  );

  serve(api, CAMERA_ADMIN_ENDPOINTS.duplicates, async () => ({
    pairs: await findDuplicatePairs(ctx.store),
  }));

  serve(api, CAMERA_ADMIN_ENDPOINTS.merge, async ({ req, params, body }) =>
    mergeCameras(ctx, params.id, body.duplicateId, actorOf(req)),
  );
};
