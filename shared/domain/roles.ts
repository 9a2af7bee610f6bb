import { z } from 'zod';

/** The people at the console (docs/architecture.md, "Who it is for"). */
export const ROLES = ['analyst', 'lieutenant', 'officer', 'supervisor', 'admin'] as const;
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
  'tips.read',
  'tips.triage',
  'tips.reply',
  'agency.manage',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

const everyone: readonly Permission[] = ['cameras.read', 'events.read', 'layouts.own'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  analyst: [
    ...everyone,
    'streams.view',
    'streams.ptz',
    'recordings.view',
    'cameras.owner_contact',
    'tips.read',
    'tips.triage',
    'tips.reply',
  ],
  lieutenant: [
    ...everyone,
    'streams.view',
    'streams.ptz',
    'recordings.view',
    'cameras.owner_contact',
    'tips.read',
    'tips.triage',
    'tips.reply',
  ],
  // Officers in the field may look at a shared tile or clip; they never see registry owners.
  officer: [...everyone, 'streams.view', 'recordings.view'],
  supervisor: [
    ...everyone,
    'streams.view',
    'recordings.view',
    'cameras.owner_contact',
    'audit.read',
    // Supervisors read the tip line to report on it; analysts and lieutenants work it.
    'tips.read',
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
  ],
};

/**
 * What a route needs: a permission, any signed-in user, or nothing. Every route declares one; a
 * route that forgets is refused to everybody (fail closed). `enrolment` admits also a session
 * that a password alone opened for an account with no authenticator yet; only the enrolment
 * steps (and signing out) declare it.
 */
export type RouteAccess = Permission | 'authenticated' | 'enrolment' | 'public';

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
