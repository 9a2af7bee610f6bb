import { z } from 'zod';
import {
  AgencyConfigSchema,
  AgencySessionSchema,
  AlertPolicySchema,
  CaseSettingsSchema,
  IncidentPolicySchema,
  MapSettingsSchema,
  ProductSettingsSchema,
  ShiftsSchema,
  type AgencyConfig,
} from '../domain/agency';
import { DockingSettingsSchema } from '../domain/docking';
import { PortalSettingsSchema } from '../domain/portal';
import { OnlineReportSettingsSchema } from '../domain/onlineReports';
import { TipLineSettingsSchema } from '../domain/tips';
import { RetentionSettingsSchema } from '../domain/retention';
import { AuditFlagSettingsSchema } from '../domain/auditFlags';
import {
  defineEvent,
  endpoint,
  holders,
  serverCall,
  type CallDefinition,
  type Endpoint,
} from './contract';

/**
 * The agency's configuration (docs/agency-settings.md): read by every console, changed by an
 * administrator one section at a time. Each section has its own schema, its own route
 * (`PUT /v1/agency/<section>`), its own audit action (`agency.<section>.update`, with the section
 * before and after) and tells every console through one event, `agency.changed`.
 */

/** One part of the settings, edited and saved on its own. */
export interface AgencySectionDefinition<S extends z.ZodType> {
  readonly label: string;
  readonly schema: S;
  /**
   * What a save must send: the whole section, every field given (a field left out would
   * otherwise fall back to its default and undo a setting without a word), no field unknown.
   */
  readonly body: S;
  /** The section's value in a configuration. */
  read(config: AgencyConfig): z.output<S>;
  /** The configuration with the section replaced. */
  write(config: AgencyConfig, value: z.output<S>): AgencyConfig;
}

/** The section's schema with its fields' defaults taken away and unknown fields refused. */
function completeBody<S extends z.ZodType>(schema: S): S {
  if (!(schema instanceof z.ZodObject)) return schema;
  const shape = Object.fromEntries(
    Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => [
      k,
      v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : v,
    ]),
  );
  // Same output as the schema; only what may be left out differs.
  return z.object(shape).strict() as unknown as S;
}

function section<S extends z.ZodType>(
  d: Omit<AgencySectionDefinition<S>, 'body'>,
): AgencySectionDefinition<S> {
  return { ...d, body: completeBody(d.schema) };
}

/** A section that is one key of the configuration, saved as its value. */
function keySection<K extends keyof AgencyConfig, S extends z.ZodType<AgencyConfig[K]>>(
  key: K,
  label: string,
  schema: S,
): AgencySectionDefinition<S> {
  return section({
    label,
    schema,
    read: (config) => config[key] as z.output<S>,
    write: (config, value) => ({ ...config, [key]: value }),
  });
}

export const AgencyIdentitySchema = z
  .object({
    name: AgencyConfigSchema.shape.name,
    shortName: AgencyConfigSchema.shape.shortName,
    timeZone: AgencyConfigSchema.shape.timeZone,
    /** Absent: no logo (products and the portal print the name alone). */
    logo: AgencyConfigSchema.shape.logo,
  })
  .strict();
export type AgencyIdentity = z.infer<typeof AgencyIdentitySchema>;

export const AgencyBoundarySchema = z
  .object({
    jurisdiction: AgencyConfigSchema.shape.jurisdiction,
    jurisdictionApproximate: z.boolean(),
  })
  .strict();
export type AgencyBoundary = z.infer<typeof AgencyBoundarySchema>;

export const AGENCY_SECTIONS = {
  identity: section({
    label: 'name, time zone and logo',
    schema: AgencyIdentitySchema,
    read: (c) => ({
      name: c.name,
      shortName: c.shortName,
      timeZone: c.timeZone,
      ...(c.logo === undefined ? {} : { logo: c.logo }),
    }),
    write: (c, v) => {
      const { logo: _previous, ...rest } = c;
      return {
        ...rest,
        name: v.name,
        shortName: v.shortName,
        timeZone: v.timeZone,
        ...(v.logo === undefined ? {} : { logo: v.logo }),
      };
    },
  }),
  jurisdiction: section({
    label: 'jurisdiction',
    schema: AgencyBoundarySchema,
    read: (c) => ({
      jurisdiction: c.jurisdiction,
      jurisdictionApproximate: c.jurisdictionApproximate,
    }),
    write: (c, v) => ({ ...c, ...v }),
  }),
  map: keySection('map', 'map', MapSettingsSchema),
  session: keySection('session', 'idle lock', AgencySessionSchema),
  shifts: keySection('shifts', 'shifts', ShiftsSchema),
  tipLine: keySection('tipLine', 'tip line', TipLineSettingsSchema),
  incidents: keySection('incidents', 'calls the center works', IncidentPolicySchema),
  alerts: keySection('alerts', 'alert policy', AlertPolicySchema),
  docking: keySection('docking', 'docking', DockingSettingsSchema),
  cases: keySection('cases', 'case numbers', CaseSettingsSchema),
  products: keySection('products', 'products', ProductSettingsSchema),
  retention: keySection('retention', 'retention periods', RetentionSettingsSchema),
  auditFlags: keySection('auditFlags', 'audit review flags', AuditFlagSettingsSchema),
  portal: keySection('portal', 'public portal', PortalSettingsSchema),
  onlineReports: keySection('onlineReports', 'online reports', OnlineReportSettingsSchema),
} as const;

export type AgencySections = typeof AGENCY_SECTIONS;
export type AgencySectionName = keyof AgencySections;
export type AgencySectionValue<N extends AgencySectionName> = z.output<AgencySections[N]['schema']>;
export const AGENCY_SECTION_NAMES = Object.keys(AGENCY_SECTIONS) as AgencySectionName[];
export const AgencySectionNameSchema = z.enum(
  AGENCY_SECTION_NAMES as [AgencySectionName, ...AgencySectionName[]],
);

/** Bodies larger than the server's default: a logo, an official boundary, exclusion zones. */
const LARGE_BODY: Partial<Record<AgencySectionName, number>> = {
  identity: 512 * 1024,
  jurisdiction: 4 * 1024 * 1024,
  alerts: 4 * 1024 * 1024,
};

function sectionEndpoint<N extends AgencySectionName>(name: N) {
  const d = AGENCY_SECTIONS[name];
  const schema = d.schema as AgencySections[N]['schema'];
  const body = d.body as AgencySections[N]['schema'];
  const limit = LARGE_BODY[name];
  return endpoint({
    method: 'PUT',
    path: `/v1/agency/${name}`,
    access: 'agency.manage',
    summary: `Change the agency's ${d.label} (audited with the before and after)`,
    tags: ['agency'],
    body,
    response: schema,
    ...(limit === undefined ? {} : { bodyLimit: limit }),
  });
}

type SchemaOf<N extends AgencySectionName> = AgencySections[N]['schema'];
type SectionEndpoint<N extends AgencySectionName> = Endpoint<
  undefined,
  undefined,
  SchemaOf<N>,
  SchemaOf<N>
>;
type SectionEndpoints = { readonly [N in AgencySectionName]: SectionEndpoint<N> };

export const AGENCY_ENDPOINTS = {
  get: endpoint({
    method: 'GET',
    path: '/v1/agency',
    access: 'authenticated',
    summary: "The agency's configuration: name, time zone, jurisdiction, map, policies",
    tags: ['agency'],
    response: AgencyConfigSchema,
  }),
  sections: Object.fromEntries(
    AGENCY_SECTION_NAMES.map((n) => [n, sectionEndpoint(n)]),
  ) as unknown as SectionEndpoints,
};

/** The console call that saves a section: `agency.save.<section>`, the value as its argument. */
export type AgencySaveCallName = `agency.save.${AgencySectionName}`;
export const agencySaveCall = <N extends AgencySectionName>(n: N) =>
  `agency.save.${n}` as `agency.save.${N}`;

function saveCall<N extends AgencySectionName>(name: N) {
  const e = AGENCY_ENDPOINTS.sections[name];
  return serverCall(e, z.object({ value: AGENCY_SECTIONS[name].body }).strict(), (a) => ({
    body: a.value,
  }));
}

type SaveCall<N extends AgencySectionName> = CallDefinition<
  z.ZodObject<{ value: SchemaOf<N> }>,
  SchemaOf<N>
> & { readonly endpoint: SectionEndpoint<N> };
type SaveCalls = { readonly [N in AgencySectionName as `agency.save.${N}`]: SaveCall<N> };

export const AGENCY_CALLS = {
  'agency.get': serverCall(AGENCY_ENDPOINTS.get, z.object({}).strict()),
  ...(Object.fromEntries(
    AGENCY_SECTION_NAMES.map((n) => [agencySaveCall(n), saveCall(n)]),
  ) as unknown as SaveCalls),
};

const AgencyChangedSchema = z.object({
  section: AgencySectionNameSchema,
  byName: z.string().nullable(),
});

export const AGENCY_EVENTS = {
  'agency.changed': defineEvent(AgencyChangedSchema, {
    priority: 'routine',
    // Every console reads the agency (its zone, its map, its idle lock).
    audience: [holders('events.read')],
  }),
};
