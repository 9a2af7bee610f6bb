import type { Queryable } from '../store/store';
import { MAX_IDLE_LOCK_MINUTES } from '../../shared/domain/idleLock';
import { DEFAULT_TIP_LINE } from '../../shared/domain/tips';
import { DEFAULT_DOCKING } from '../../shared/domain/docking';
import { DEFAULT_RETENTION } from '../../shared/domain/retention';
import { PortalSettingsSchema } from '../../shared/domain/portal';
import {
  AgencyConfigSchema,
  CaseSettingsSchema,
  DEFAULT_SHIFTS,
  ProductSettingsSchema,
  DEFAULT_ALERT_POLICY,
  DEFAULT_INCIDENT_POLICY,
  type AgencyConfig,
} from '../../shared/domain/agency';
import { DEFAULT_AUDIT_FLAG_SETTINGS } from '../../shared/domain/auditFlags';
import { OnlineReportSettingsSchema } from '../../shared/domain/onlineReports';

/** Used until an agency is configured: a neutral placeholder, never shown as a real place. */
export const UNCONFIGURED_AGENCY: AgencyConfig = {
  name: 'Unconfigured agency',
  shortName: 'Agency',
  timeZone: 'UTC',
  jurisdiction: {
    type: 'Polygon',
    coordinates: [
      [
        [-0.05, -0.05],
        [0.05, -0.05],
        [0.05, 0.05],
        [-0.05, 0.05],
        [-0.05, -0.05],
      ],
    ],
  },
  jurisdictionApproximate: true,
  map: { center: [0, 0], zoom: 12 },
  demo: false,
  tipLine: DEFAULT_TIP_LINE,
  incidents: DEFAULT_INCIDENT_POLICY,
  docking: DEFAULT_DOCKING,
  alerts: DEFAULT_ALERT_POLICY,
  shifts: DEFAULT_SHIFTS,
  cases: CaseSettingsSchema.parse({}),
  auditFlags: DEFAULT_AUDIT_FLAG_SETTINGS,
  portal: PortalSettingsSchema.parse({}),
  onlineReports: OnlineReportSettingsSchema.parse({}),
  products: ProductSettingsSchema.parse({}),
  session: { idleLockMinutes: MAX_IDLE_LOCK_MINUTES },
  retention: DEFAULT_RETENTION,
};

export async function getAgency(db: Queryable): Promise<AgencyConfig> {
  const res = await db.query<{ config: unknown }>('select config from agency_config where id = 1');
  const raw = res.rows[0]?.config;
  if (raw === undefined) return UNCONFIGURED_AGENCY;
  return AgencyConfigSchema.parse(typeof raw === 'string' ? JSON.parse(raw) : raw);
}

export async function setAgency(db: Queryable, config: AgencyConfig, at: Date): Promise<void> {
  const valid = AgencyConfigSchema.parse(config);
  await db.query(
    `insert into agency_config (id, config, updated_at) values (1, $1, $2)
     on conflict (id) do update set config = excluded.config, updated_at = excluded.updated_at`,
    [JSON.stringify(valid), at.toISOString()],
  );
}

/**
 * The agency's idle lock alone, for the session check every request makes (the whole
 * configuration is not parsed for it). Written only through the schema, so it is 1 to 30.
 */
export async function getIdleLockMinutes(db: Queryable): Promise<number> {
  const res = await db.query<{ minutes: number | null }>(
    `select case when config->'session'->>'idleLockMinutes' ~ '^[0-9]{1,2}$'
                 then (config->'session'->>'idleLockMinutes')::int end as minutes
       from agency_config where id = 1`,
  );
  return res.rows[0]?.minutes ?? MAX_IDLE_LOCK_MINUTES;
}
