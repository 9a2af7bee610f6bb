import { z } from 'zod';
import { OwnerKindSchema } from '../domain/portal';
import { LatitudeSchema, LongitudeSchema } from '../domain/cameras';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/**
 * Camera registrations from the public portal, as the console sees them (docs/portal.md): who
 * confirmed when, which registry cameras each made, and which of those look like an entry the
 * registry already had. No owner's name or contact: those stay behind the audited reveal.
 */

export const RegistrationIdSchema = z.uuid('a registration id is a UUID');

/** A camera a registration made, and its look-alike in the registry, if any. */
export const RegistrationCameraSchema = z.object({
  cameraId: z.string(),
  name: z.string(),
  lat: LatitudeSchema,
  lng: LongitudeSchema,
  status: z.enum(['active', 'retired']),
  /** An active registered camera of the same owner within a few metres, when confirmed. */
  duplicateOf: z
    .object({
      cameraId: z.string(),
      name: z.string(),
      distanceM: z.number().nonnegative(),
    })
    .nullable(),
  /** How an administrator settled the duplicate: merged (the older entry retired) or distinct. */
  resolution: z.enum(['merged', 'distinct']).nullable(),
});
export type RegistrationCamera = z.infer<typeof RegistrationCameraSchema>;

export const RegistrationSummarySchema = z.object({
  id: z.string(),
  state: z.enum(['confirmed', 'withdrawn']),
  ownerKind: OwnerKindSchema,
  confirmedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  cameras: z.array(RegistrationCameraSchema),
  /** Duplicates not yet settled. */
  openDuplicates: z.number().int().nonnegative(),
});
export type RegistrationSummary = z.infer<typeof RegistrationSummarySchema>;

export const RegistrationListQuerySchema = z.object({
  /** Only the registrations with a duplicate to settle. */
  duplicates: z.enum(['open', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const RegistrationListSchema = z.object({
  registrations: z.array(RegistrationSummarySchema),
});

export const DuplicateResolutionSchema = z
  .object({
    /** merged: the registry's older entry is retired, the owner's confirmed one stays. */
    resolution: z.enum(['merged', 'distinct']),
  })
  .strict();

export const RegistrationCameraParamsSchema = z.object({
  id: RegistrationIdSchema,
  cameraId: z.uuid('a camera id is a UUID'),
});

export const REGISTRATION_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/registrations',
    access: 'registrations.review',
    summary: 'Confirmed camera registrations from the portal, newest first, with their duplicates',
    tags: ['registrations'],
    query: RegistrationListQuerySchema,
    response: RegistrationListSchema,
  }),
  resolveDuplicate: endpoint({
    method: 'POST',
    path: '/v1/registrations/:id/cameras/:cameraId/duplicate',
    access: 'registrations.review',
    summary: "Settle a registered camera's look-alike: merge (retire the older entry) or keep both",
    tags: ['registrations'],
    params: RegistrationCameraParamsSchema,
    body: DuplicateResolutionSchema,
    response: RegistrationSummarySchema,
    errors: [404, 409],
    bodyLimit: 1024,
  }),
};

export const REGISTRATION_CALLS = {
  'registrations.list': serverCall(
    REGISTRATION_ENDPOINTS.list,
    z.object({ duplicates: z.enum(['open', 'all']).optional() }).strict(),
    (a) => ({ query: { duplicates: a.duplicates } }),
  ),
  'registrations.resolveDuplicate': serverCall(
    REGISTRATION_ENDPOINTS.resolveDuplicate,
    z
      .object({
        id: RegistrationIdSchema,
        cameraId: z.uuid(),
        resolution: DuplicateResolutionSchema.shape.resolution,
      })
      .strict(),
    (a) => ({ params: { id: a.id, cameraId: a.cameraId }, body: { resolution: a.resolution } }),
  ),
};

const WithRegistration = z.object({ registration: RegistrationSummarySchema });
const reviewers = [holders<z.output<typeof WithRegistration>>('registrations.review')];

export const REGISTRATION_EVENTS = {
  /** An owner confirmed: the cameras are in the registry (each also has its camera.created). */
  'registration.confirmed': defineEvent(WithRegistration, {
    priority: 'notable',
    audience: reviewers,
    describe: (p) => ({
      title: 'New camera registration',
      body: `${p.registration.cameras.length} camera(s) registered from the portal${
        p.registration.openDuplicates > 0
          ? `; ${p.registration.openDuplicates} may duplicate a registry entry`
          : ''
      }.`,
    }),
  }),
  /** The owner changed it, withdrew it, or an administrator settled a duplicate. */
  'registration.updated': defineEvent(WithRegistration, {
    priority: 'routine',
    audience: reviewers,
  }),
};
