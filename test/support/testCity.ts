import { UNCONFIGURED_AGENCY } from '../../server/agency/agencyRepository';
import type { AgencyConfig } from '../../shared/domain/agency';

/**
 * The agency server tests run as: a square city around (36.10, -80.25), 36.05-36.15 N and
 * 80.2-80.3 W (about 9 by 11 km), in New York's time zone, everything else at its default.
 */
export const TEST_CITY: AgencyConfig = {
  ...UNCONFIGURED_AGENCY,
  name: 'Test City Police',
  timeZone: 'America/New_York',
  jurisdiction: {
    type: 'Polygon',
    coordinates: [
      [
        [-80.3, 36.05],
        [-80.2, 36.05],
        [-80.2, 36.15],
        [-80.3, 36.15],
        [-80.3, 36.05],
      ],
    ],
  },
};
