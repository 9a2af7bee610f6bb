import { z } from 'zod';

/** The people at the console (docs/architecture.md, "Who it is for"). */
export const ROLES = [
  'analyst',
  'lieutenant',
  'officer',
  'supervisor',
  'admin',
  'auditor',
] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/**
 * Permissions are what routes declare. Roles are bundles of them, so that a route never tests a
 * role by name and a center can re-bundle without touching routes.
 */
export const PERMISSIONS = [
  'cameras.read',
  'cameras.write',
  'cameras.import',
  'cameras.owner_contact',
  'streams.view',
  'streams.ptz',
  'recordings.view',
  'events.read',
  'audit.read',
  'users.manage',
  'layouts.own',
  'layouts.share',
  'tips.read',
  'tips.triage',
  'tips.reply',
  'agency.manage',
  'incidents.read',
  'incidents.work',
  'integrations.manage',
  'alerts.read',
  'alerts.work',
  'cases.read',
  'cases.work',
  'cases.assign',
  'pulls.read',
  'pulls.read_own',
  'pulls.work',
  'evidence.export',
  'shifts.read',
  'shifts.log',
  'shifts.signoff',
  'metrics.read',
  'products.write',
  'products.approve',
  // Retention (docs/retention.md): the on-demand purge, and the legal hold that keeps a case's data.
  'retention.purge',
  'cases.hold',
  // The audit review (docs/audit-review.md): its view, flags, export and chain health; with
  // audit.review_all every entry, without it only the reviewer's own shifts.
  'audit.review',
  'audit.review_all',
  // The public portal's camera registrations: settle duplicates (docs/portal.md).
  'registrations.review',
  // Online reports from the public: review them and decide (docs/online-reports.md).
  'onlineReports.review',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

const everyone: readonly Permission[] = ['cameras.read', 'events.read', 'layouts.own'];

/** What the watch floor does: work tips, incidents, alerts, cases and pulls, with video. */
const watchFloor: readonly Permission[] = [
  ...everyone,
  'streams.view',
  'streams.ptz',
  'recordings.view',
  'cameras.owner_contact',
  'tips.read',
  'tips.triage',
  'tips.reply',
  'incidents.read',
  'incidents.work',
  'alerts.read',
  'alerts.work',
  'cases.read',
  'cases.work',
  'pulls.read',
  'pulls.work',
  'evidence.export',
  'shifts.read',
  'products.write',
  // Online reports come to the floor: analysts review them, lieutenants forward them to an
  // investigator as they assign cases (docs/online-reports.md).
  'onlineReports.review',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  analyst: watchFloor,
  // A lieutenant works the floor too, and creates and assigns cases and approves products.
  lieutenant: [
    ...watchFloor,
    'cases.assign',
    'products.approve',
    'shifts.log',
    'metrics.read',
    'cases.hold',
  ],
  // Officers in the field may look at a shared tile or clip and at the pulls they asked for; they
  // never see registry owners, and the center's incident board is not theirs (their CAD terminal
  // already gives them the call).
  officer: [...everyone, 'streams.view', 'recordings.view', 'pulls.read_own'],
  // The supervisor keeps the shift log, signs the shift off and reports on the center; they read
  // its work (tips, incidents, cases, pulls) but do not do it.
  supervisor: [
    ...everyone,
    'streams.view',
    'recordings.view',
    'cameras.owner_contact',
    'audit.read',
    'tips.read',
    'incidents.read',
    'alerts.read',
    'cases.read',
    'pulls.read',
    'shifts.read',
    'shifts.log',
    'shifts.signoff',
    'metrics.read',
    'layouts.share',
    'audit.review',
    'onlineReports.review',
  ],
  admin: [
    ...everyone,
    'streams.view',
    'streams.ptz',
    'recordings.view',
    'cameras.write',
    'cameras.import',
    'cameras.owner_contact',
    'audit.read',
    'users.manage',
    'agency.manage',
    'integrations.manage',
    'metrics.read',
    'layouts.share',
    'retention.purge',
    'cases.hold',
    'audit.review',
    'audit.review_all',
    'registrations.review',
  ],
  // An auditor reads the audit trail and its review, and nothing else: no video, no cases, no
  // tips. The cameras' list stays (everyone's), so an entry can show its camera on the map.
  auditor: [...everyone, 'audit.read', 'audit.review', 'audit.review_all'],
};

/**
 * What a machine may post to /v1/ingest: each integration key is made for exactly one of these
 * (docs/integrations.md).
 */
export const INGEST_SCOPES = ['cad', 'lpr', 'gunshot', 'tracks', 'cap'] as const;
export const IngestScopeSchema = z.enum(INGEST_SCOPES);
export type IngestScope = z.infer<typeof IngestScopeSchema>;

/** An ingest route's access: an integration key of that scope, never a person's session. */
export type IngestAccess = `ingest:${IngestScope}`;

/**
 * What a route needs: a permission, any signed-in user, nothing, or an integration key of one
 * scope. Every route declares one; a route that forgets is refused to everybody (fail closed).
 * `enrolment` admits also a session that a password alone opened for an account with no
 * authenticator yet; only the enrolment steps (and signing out) declare it.
 */
export type RouteAccess = Permission | 'authenticated' | 'enrolment' | 'public' | IngestAccess;

/** The scope of an ingest route's access, or null for a route people call. */
export function ingestScopeOf(access: RouteAccess | undefined): IngestScope | null {
  if (typeof access !== 'string' || !access.startsWith('ingest:')) return null;
  const scope = IngestScopeSchema.safeParse(access.slice('ingest:'.length));
  return scope.success ? scope.data : null;
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
