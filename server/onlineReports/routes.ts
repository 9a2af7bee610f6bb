import type { RouteModule } from '../http/api';
import { actorOf, principalOf } from '../http/guard';
import { HttpError } from '../http/errorHandler';
import { serve } from '../http/serve';
import { getAgency } from '../agency/agencyRepository';
import { attachmentDisposition } from '../media/contentDisposition';
import { openMediaStore, type MediaStore } from '../media/mediaStore';
import { sendStoredMedia } from '../media/sendStoredMedia';
import { ONLINE_REPORT_ENDPOINTS } from '../../shared/api/onlineReports';
import { REPORT_FILE_TYPES, type ReportFileType } from '../../shared/domain/onlineReports';
import { assignableUsers } from '../cases/caseRepository';
import { ASSIGNABLE_ROLES } from '../cases/caseChanges';
import { filesOpenedSince, listReports, reportFile } from './onlineReportRepository';
import {
  FILES_GRANT_MS,
  approveReport,
  categoryLabelOf,
  forwardReport,
  openReportFiles,
  rejectReport,
  requestInfo,
} from './onlineReportChanges';

const isReportFileType = (t: string): t is ReportFileType =>
  (REPORT_FILE_TYPES as readonly string[]).includes(t);

/**
 * How a report's file is sent: a photo as itself, shown in place; a PDF (or anything the table
 * should never hold) as a download under a safe name, so that no document the public sent is
 * ever rendered by the console or the browser on the way.
 */
function sentAs(file: { contentType: string; fileName: string }, n: number) {
  const type = isReportFileType(file.contentType) ? file.contentType : 'application/octet-stream';
  if (type === 'image/jpeg' || type === 'image/png') {
    return { contentType: type, disposition: 'inline' };
  }
  const fallback = `report-file-${n}${type === 'application/pdf' ? '.pdf' : ''}`;
  return { contentType: type, disposition: attachmentDisposition(file.fileName, fallback) };
}

/**
 * The console's review queue of online reports (shared/api/onlineReports.ts). The reporter's side
 * is the portal's pages (server/portal/reportPages.ts).
 */
export const onlineReportRoutes: RouteModule = (api, ctx) => {
  serve(api, ONLINE_REPORT_ENDPOINTS.list, async ({ query }) => ({
    reports: await listReports(ctx.store, query, categoryLabelOf(await getAgency(ctx.store))),
    investigators: (await assignableUsers(ctx.store, ASSIGNABLE_ROLES)).map((u) => ({
      id: u.id,
      name: u.name,
    })),
  }));

  const decided = <T>(report: Promise<T>) =>
    report.then((r) => {
      ctx.mail?.kick();
      return r;
    });

  serve(api, ONLINE_REPORT_ENDPOINTS.approve, ({ req, params, body }) =>
    decided(approveReport(ctx, actorOf(req), params.id, body)),
  );
  serve(api, ONLINE_REPORT_ENDPOINTS.requestInfo, ({ req, params, body }) =>
    decided(requestInfo(ctx, actorOf(req), params.id, body.message)),
  );
  serve(api, ONLINE_REPORT_ENDPOINTS.forward, ({ req, params, body }) =>
    forwardReport(ctx, actorOf(req), params.id, body.userId),
  );
  serve(api, ONLINE_REPORT_ENDPOINTS.reject, ({ req, params, body }) =>
    decided(rejectReport(ctx, actorOf(req), params.id, body.reason)),
  );

  // The reporter's photos and documents, in the media store where the portal put them.
  let media: Promise<MediaStore> | null = null;
  const mediaStore = () => (media ??= openMediaStore(ctx.config.mediaDir));

  serve(api, ONLINE_REPORT_ENDPOINTS.openFiles, ({ req, params }) =>
    openReportFiles(ctx, actorOf(req), params.id),
  );

  serve(api, ONLINE_REPORT_ENDPOINTS.file, async ({ req, reply, params }) => {
    const since = new Date(ctx.clock.now() - FILES_GRANT_MS);
    if (!(await filesOpenedSince(ctx.store, params.id, principalOf(req).userId, since))) {
      throw new HttpError(
        404,
        'The files of this report are not open for you (or no longer): open them again.',
      );
    }
    const file = await reportFile(ctx.store, params.id, params.n);
    if (!file) throw new HttpError(404, 'This report has no file with that number.');
    return sendStoredMedia(req, reply, await mediaStore(), {
      sha256: file.sha256,
      ...sentAs(file, params.n),
    });
  });
};
