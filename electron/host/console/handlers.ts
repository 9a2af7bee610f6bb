import { z } from 'zod';
import { CameraListResponseSchema, OwnerContactResponseSchema } from '../../../shared/api/cameras';
import { ServerEventSchema } from '../../../shared/api/events';
import type { CameraListArgs } from '../../../shared/api/watchfloorApi';
import { AgencyConfigSchema } from '../../../shared/domain/agency';
import { SavedLayoutSchema } from '../../../shared/domain/layouts';
import type { ConsoleConnection, WindowsPort } from './consoleHost';
import type { CallHandlers } from './dispatch';
import { HostCallError } from './hostCallError';
import { expectOk } from './serverErrors';

const LayoutListSchema = z.object({ layouts: z.array(SavedLayoutSchema) });
const EventPageSchema = z.object({ events: z.array(ServerEventSchema), lastId: z.number().int() });

/** The renderer's camera filters as GET /v1/cameras query parameters. */
export function cameraListQuery(args: CameraListArgs): string {
  const q = new URLSearchParams();
  if (args.kind) q.set('kind', args.kind.join(','));
  if (args.status) q.set('status', args.status);
  if (args.q) q.set('q', args.q);
  if (args.near) {
    q.set('near', `${args.near.lat},${args.near.lng}`);
    q.set('radius', String(args.near.radiusM));
  }
  if (args.bbox) {
    const b = args.bbox;
    q.set('bbox', `${b.minLng},${b.minLat},${b.maxLng},${b.maxLat}`);
  }
  if (args.limit !== undefined) q.set('limit', String(args.limit));
  if (args.cursor) q.set('cursor', args.cursor);
  const text = q.toString();
  return text ? `?${text}` : '';
}

function windowsOf(c: ConsoleConnection): WindowsPort {
  if (!c.windows) {
    throw new HostCallError(
      'unsupported',
      'Wall windows on other displays need the desktop console.',
    );
  }
  return c.windows;
}

/**
 * What each call of the WatchfloorApi does on the host. Arguments arrive parsed with the
 * contract's schema; replies are parsed with it again on the way out (dispatch.ts).
 */
export const CONSOLE_HANDLERS: CallHandlers<ConsoleConnection> = {
  'console.info': (_args, c) => ({
    shell: c.host.shell,
    version: c.host.version,
    canOpenWallWindows: c.windows !== null,
    window: c.window,
  }),

  'session.state': (_args, c) => c.session.state(),
  'session.signIn': (args, c) => c.session.signIn(args),
  'session.verifyTotp': (args, c) => c.session.verifyTotp(args.totpCode),
  'session.unlock': (args, c) => c.session.unlock(args.password),
  'session.beginEnrolment': (args, c) => c.session.beginEnrolment(args.enrolmentCode),
  'session.confirmEnrolment': (args, c) => c.session.confirmEnrolment(args.totpCode),
  'session.changePassword': (args, c) => c.session.changePassword(args),
  'session.lock': (_args, c) => c.session.lock('manual'),
  'session.signOut': (_args, c) => c.host.signOut(),
  'session.activity': (_args, c) => c.session.activity(),
  'session.setIdleLock': (args, c) => c.session.setIdleLock(args.minutes),

  'agency.get': async (_args, c) => ({
    ...expectOk(await c.session.request('GET', '/v1/agency'), AgencyConfigSchema, 'No agency.'),
    mapTiles: c.host.mapTiles,
  }),

  'cameras.list': async (args, c) =>
    expectOk(
      await c.session.request('GET', `/v1/cameras${cameraListQuery(args)}`),
      CameraListResponseSchema,
      'The cameras could not be listed.',
    ),
  'cameras.ownerContact': async (args, c) =>
    expectOk(
      await c.session.request('POST', `/v1/cameras/${args.cameraId}/owner-contact`, {
        body: { reason: args.reason },
      }),
      OwnerContactResponseSchema,
      "The owner's contact could not be shown.",
    ),

  'views.open': (args, c) => c.views.open(args),
  'views.setVariant': (args, c) => c.views.setVariant(args.viewId, args.variant),
  'views.close': async (args, c) => {
    await c.views.close(args.viewId);
    return { viewId: args.viewId, closed: true as const };
  },
  'views.list': (_args, c) => ({ views: c.views.list() }),
  'views.replay': (args, c) => c.views.replay(args.viewId, args.seconds),
  'views.snapshot': (args, c) => c.views.snapshot(args.viewId),

  'layouts.list': async (_args, c) =>
    expectOk(await c.session.request('GET', '/v1/layouts'), LayoutListSchema, 'No layouts.'),
  'layouts.save': async (args, c) =>
    expectOk(
      await c.session.request('PUT', `/v1/layouts/${encodeURIComponent(args.name)}`, {
        body: { layout: args.layout },
      }),
      SavedLayoutSchema,
      'The layout could not be saved.',
    ),
  'layouts.delete': async (args, c) => {
    const reply = await c.session.request('DELETE', `/v1/layouts/${encodeURIComponent(args.name)}`);
    expectOk(reply, z.unknown(), 'The layout could not be deleted.', [200, 204]);
    return { name: args.name, deleted: true as const };
  },

  'events.since': async (args, c) => {
    const limit = args.limit === undefined ? '' : `&limit=${args.limit}`;
    return expectOk(
      await c.session.request('GET', `/v1/events?after=${args.after}${limit}`),
      EventPageSchema,
      'The events could not be read.',
    );
  },

  'windows.displays': (_args, c) => ({ displays: windowsOf(c).displays() }),
  'windows.openWall': (args, c) => ({ displays: windowsOf(c).openWall(args.displayId) }),
  'windows.closeWall': (args, c) => ({ displays: windowsOf(c).closeWall(args.displayId) }),
};
