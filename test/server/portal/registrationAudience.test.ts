import { describe, expect, it } from 'vitest';
import { eventAdmits } from '../../../shared/api/eventCatalog';
import { ROLE_PERMISSIONS, ROLES } from '../../../shared/domain/roles';
import type { RegistrationSummary } from '../../../shared/api/registrations';

/**
 * Registration events go to the holders of registrations.review (administrators) alone; the
 * cameras themselves reach every map through camera.created.
 */
describe('who hears of a camera registration', () => {
  const registration: RegistrationSummary = {
    id: '5b0f8a4e-8a0e-4a55-9b38-3f7a2b1c9d10',
    state: 'confirmed',
    ownerKind: 'person',
    confirmedAt: '2026-11-29T12:00:00.000Z',
    withdrawnAt: null,
    cameras: [],
    openDuplicates: 0,
  };

  it.each(['registration.confirmed', 'registration.updated'])('%s: administrators only', (type) => {
    const event = { id: 1, at: registration.confirmedAt, type, payload: { registration } };
    const admitted = ROLES.filter((role) =>
      eventAdmits(event, { userId: 'u', permissions: ROLE_PERMISSIONS[role] }),
    );
    expect(admitted).toEqual(['admin']);
  });
});
