import { AgencyConfigSchema, type AgencyConfig } from '../../../shared/domain/agency';

/** A small agency for the settings forms' tests: a square jurisdiction, defaults elsewhere. */
export const TEST_AGENCY: AgencyConfig = AgencyConfigSchema.parse({
  name: 'Testville Police Department',
  shortName: 'TPD',
  timeZone: 'America/New_York',
  jurisdiction: {
    type: 'Polygon',
    coordinates: [
      [
        [-80.3, 36.0],
        [-80.2, 36.0],
        [-80.2, 36.1],
        [-80.3, 36.0],
      ],
    ],
  },
  map: { center: [36.05, -80.25], zoom: 12 },
});
