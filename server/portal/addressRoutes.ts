import { z } from 'zod';
import type { RouteModule } from '../http/api';
import { HttpError } from '../http/errorHandler';
import { publicLabelOf, searchAddresses } from '../addresses/addressSearch';
import { SubmissionLimit } from './submissionLimit';

/** What the public address search answers at most: a short pick list for a form. */
export const PORTAL_ADDRESS_RESULTS = 8;
/** Searches an address may make an hour: a resident typing, with room; a scraper is slowed. */
export const PORTAL_ADDRESS_SEARCHES_PER_HOUR = 300;

const QuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(2, 'type at least two letters of the address')
      .max(100, 'an address is at most 100 characters here')
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .refine((q) => !/[\u0000-\u001f\u007f]/.test(q), 'the address holds control characters'),
  })
  .strict();

/**
 * GET /portal/addresses?q=… (docs/portal.md): the public's search over the agency's address
 * points, for placing a camera or an incident on the portal's forms. Public and rate-limited per
 * client address; it answers an address's text and position and nothing else.
 */
export const portalAddressRoutes: RouteModule = (api, ctx) => {
  const limit = new SubmissionLimit(ctx.clock, PORTAL_ADDRESS_SEARCHES_PER_HOUR);
  api.get(
    '/portal/addresses',
    { config: { access: 'public' }, schema: { hide: true } },
    async (req, reply) => {
      const wait = limit.take(req.ip);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        throw new HttpError(
          429,
          `Too many searches from this connection; try again in ${Math.ceil(wait / 60)} minutes.`,
        );
      }
      const parsed = QuerySchema.safeParse(req.query);
      if (!parsed.success) {
        throw new HttpError(
          400,
          parsed.error.issues[0]?.message ?? 'give ?q= with part of an address',
        );
      }
      const found = await searchAddresses(ctx.store, parsed.data.q, PORTAL_ADDRESS_RESULTS);
      reply.header('cache-control', 'no-store');
      return {
        addresses: found.map((a) => ({
          address: publicLabelOf(a),
          lat: a.lat,
          lng: a.lng,
        })),
      };
    },
  );
};
