import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { SHIFT_ENDPOINTS } from '../../shared/api/shifts';
import { addShiftAddendum, addShiftEntry, signOffShift } from './shiftChanges';
import { readShiftLog, resolveShift } from './shiftLog';
import { renderShiftReport, shiftReportFilename } from './shiftReport';

/** The shift log and its report; shared/api/shifts.ts. */
export const shiftRoutes: RouteModule = (api, ctx) => {
  serve(api, SHIFT_ENDPOINTS.get, async ({ params }) => {
    const shift = await resolveShift(ctx.store, params.date, params.shift);
    return readShiftLog(ctx.store, shift, new Date(ctx.clock.now()));
  });

  serve(api, SHIFT_ENDPOINTS.addEntry, async ({ req, params, body }) =>
    addShiftEntry(ctx, actorOf(req), params.date, params.shift, body),
  );

  serve(api, SHIFT_ENDPOINTS.signOff, async ({ req, params, body }) =>
    signOffShift(ctx, actorOf(req), params.date, params.shift, body.note),
  );

  serve(api, SHIFT_ENDPOINTS.addAddendum, async ({ req, params, body }) =>
    addShiftAddendum(ctx, actorOf(req), params.date, params.shift, body),
  );

  serve(api, SHIFT_ENDPOINTS.report, async ({ params }) => {
    const shift = await resolveShift(ctx.store, params.date, params.shift);
    const log = await readShiftLog(ctx.store, shift, new Date(ctx.clock.now()));
    const { pdf, pages } = await renderShiftReport(shift.agency, [log]);
    return {
      filename: shiftReportFilename(log),
      contentType: 'application/pdf' as const,
      data: pdf.toString('base64'),
      pages,
    };
  });
};
