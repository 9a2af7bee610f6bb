import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from '../domain/cameras';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/**
 * The agency's address points and places, and the street layer the map draws without a tile
 * server (docs/address-points.md). An analyst types an address or a place name; the console
 * drops a pin there and lists the nearest cameras.
 */

export const ADDRESS_KINDS = ['address', 'place', 'intersection'] as const;
export const AddressKindSchema = z.enum(ADDRESS_KINDS);
export type AddressKind = z.infer<typeof AddressKindSchema>;

export const AddressPointSchema = z.object({
  id: z.string(),
  /** The address as written ("1300 block N Main St"), or a place's own name when it has none. */
  address: z.string(),
  /** A place's name ("Courthouse Square"), when the point is a named place. */
  place: z.string().nullable(),
  kind: AddressKindSchema,
  lat: LatitudeSchema,
  lng: LongitudeSchema,
});
export type AddressPoint = z.infer<typeof AddressPointSchema>;

/** Most a search answers: the console lists these above the cameras. */
export const MAX_ADDRESS_RESULTS = 20;
export const AddressSearchQuerySchema = z
  .object({
    q: z.string().trim().min(1, 'type part of an address or a place name').max(200),
    limit: z.coerce.number().int().min(1).max(MAX_ADDRESS_RESULTS).optional(),
  })
  .strict();

export const AddressSearchResultSchema = z.object({
  addresses: z.array(
    AddressPointSchema.extend({
      rank: z.enum(['exact', 'prefix', 'name', 'address', 'partial']),
    }),
  ),
});
export type AddressSearchResult = z.infer<typeof AddressSearchResultSchema>;
export type AddressMatch = AddressSearchResult['addresses'][number];

export const AddressImportFormatSchema = z.enum(['csv', 'geojson']);
export const AddressImportSchema = z
  .object({
    format: AddressImportFormatSchema,
    content: z
      .string()
      .min(1, 'the file is empty')
      .max(20 * 1024 * 1024),
  })
  .strict();
export type AddressImport = z.infer<typeof AddressImportSchema>;

export const AddressImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  /** Rows that repeat what is already there: a file imported twice changes nothing. */
  unchanged: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })),
});
export type AddressImportResult = z.infer<typeof AddressImportResultSchema>;

/** One street of the map's vector layer: its name (null for an unnamed lane) and its line. */
export const StreetSchema = z.object({
  name: z.string().nullable(),
  /** Drawn wider for a major road. */
  class: z.enum(['major', 'minor', 'local']),
  /** [lng, lat] pairs, as GeoJSON writes them. */
  line: z.array(z.tuple([LongitudeSchema, LatitudeSchema])),
});
export type Street = z.infer<typeof StreetSchema>;

export const StreetLayerSchema = z.object({
  /** Where the streets come from, shown on the map (a synthetic layer says so). */
  attribution: z.string(),
  streets: z.array(StreetSchema),
  /** Named places to label on the map (parks, squares, campuses). */
  places: z.array(z.object({ name: z.string(), lat: LatitudeSchema, lng: LongitudeSchema })),
});
export type StreetLayer = z.infer<typeof StreetLayerSchema>;

export const ADDRESS_ENDPOINTS = {
  search: endpoint({
    method: 'GET',
    path: '/v1/addresses',
    access: 'cameras.read',
    summary: "Search the agency's address points and places, best match first",
    tags: ['addresses'],
    query: AddressSearchQuerySchema,
    response: AddressSearchResultSchema,
  }),
  import: endpoint({
    method: 'POST',
    path: '/v1/addresses/import',
    access: 'agency.manage',
    summary:
      'Import address points from CSV or GeoJSON text: new, changed and same rows counted, bad rows reported',
    tags: ['addresses'],
    body: AddressImportSchema,
    response: AddressImportResultSchema,
    errors: [413],
    bodyLimit: 21 * 1024 * 1024,
  }),
  streets: endpoint({
    method: 'GET',
    path: '/v1/addresses/streets',
    access: 'cameras.read',
    summary: 'The street layer the map draws when it has no tile server',
    tags: ['addresses'],
    response: StreetLayerSchema,
  }),
};

export const ADDRESS_CALLS = {
  'addresses.search': serverCall(ADDRESS_ENDPOINTS.search, AddressSearchQuerySchema),
  'addresses.import': serverCall(ADDRESS_ENDPOINTS.import, AddressImportSchema),
  'addresses.streets': serverCall(ADDRESS_ENDPOINTS.streets, z.object({}).strict()),
};

export const ADDRESS_EVENTS = {
  'addresses.imported': defineEvent(
    z.object({ created: z.number().int(), updated: z.number().int(), rejected: z.number().int() }),
    {
      priority: 'routine',
      audience: [holders('agency.manage')],
      notShown: 'the console searches the address points on the server at each query',
    },
  ),
};
