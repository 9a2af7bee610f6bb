import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import type { AgencyConfig } from '../../shared/domain/agency';
import { HttpError } from '../http/errorHandler';
import { decidedReportsTally } from '../onlineReports/onlineReportTally';
import { TransparencyReports } from '../transparency/transparencyReport';
import { LAST_12_MONTHS, periodChoices } from '../transparency/transparencyPeriod';
import { transparencyPage } from './transparencyPage';

/**
 * The transparency report's two routes (docs/portal.md, "Transparency report"): the page and the
 * JSON document, the same figures from one cached computation. Both are public and hold no token,
 * so a shared cache may keep them for a few minutes.
 */

type PortalGet = (
  url: string,
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
) => unknown;

const PUBLIC_CACHE = 'public, max-age=300';

function periodKeyOf(query: unknown): string {
  const p = (query as { period?: unknown } | undefined)?.period;
  if (p === undefined) return LAST_12_MONTHS;
  if (typeof p !== 'string') throw new HttpError(400, 'Choose one period from the list.');
  return p;
}

export function transparencyRoutes(
  get: PortalGet,
  ctx: Pick<ServerContext, 'store' | 'clock'>,
  agency: () => Promise<AgencyConfig>,
): void {
  const reports = new TransparencyReports(ctx.store, ctx.clock, decidedReportsTally);

  async function reportFor(req: FastifyRequest) {
    const a = await agency();
    const key = periodKeyOf(req.query);
    const report = await reports.report(a, key);
    if (!report) {
      const offered = periodChoices(ctx.clock.now(), a.timeZone).map((c) => c.key);
      throw new HttpError(400, `Choose one period from the list (${offered.join(', ')}).`);
    }
    return { a, report };
  }

  get('/portal/transparency', async (req, reply) => {
    const { a, report } = await reportFor(req);
    const choices = periodChoices(ctx.clock.now(), a.timeZone);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', PUBLIC_CACHE)
      .send(transparencyPage(a, report, choices));
  });

  get('/portal/transparency.json', async (req, reply) => {
    const { report } = await reportFor(req);
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', PUBLIC_CACHE)
      .send(`${JSON.stringify(report, null, 2)}\n`);
  });
}
