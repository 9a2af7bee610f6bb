import { parse as parseCsvText } from 'csv-parse/sync';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import {
  AddressKindSchema,
  type AddressImport,
  type AddressImportResult,
} from '../../shared/api/addresses';
import {
  findByKeys,
  matchKeyOf,
  upsertAddressPoints,
  type NewAddressPoint,
} from './addressRepository';

/** The columns of an address file (docs/address-points.md). */
export const ADDRESS_COLUMNS = ['address', 'place', 'kind', 'lat', 'lng'] as const;
type Columns = Partial<Record<(typeof ADDRESS_COLUMNS)[number], unknown>>;

const notAFile = (message: string) => new HttpError(400, message, undefined, 'import_unreadable');
const KNOWN = new Set<string>(ADDRESS_COLUMNS);
/** A coordinate written with more digits than this says nothing more (about 1 cm). */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

interface Candidate {
  /** CSV: the line the row is on (the header is line 1). GeoJSON: the feature's position. */
  readonly row: number;
  readonly columns: Columns;
}

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).trim();
  return s === '' ? null : s;
};

function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = text(v);
  if (s === null || !/^[+-]?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlChars = /[\u0000-\u001f\u007f]/;

/** A row's columns as a point, or the reason it is refused (starting with the column to fix). */
export function pointFromColumns(c: Columns): NewAddressPoint | { readonly reason: string } {
  for (const name of ['address', 'place', 'kind'] as const) {
    const v = c[name];
    if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number') {
      return { reason: `${name}: expected text` };
    }
    if (typeof v === 'string' && controlChars.test(v)) {
      return { reason: `${name}: holds control characters` };
    }
  }
  const place = text(c.place);
  const address = text(c.address) ?? place;
  if (!address) return { reason: 'address: give an address, or a place name in place' };
  if (address.length > 300) return { reason: 'address: at most 300 characters' };
  if (place && place.length > 200) return { reason: 'place: at most 200 characters' };
  const kindText = text(c.kind)?.toLowerCase() ?? (place ? 'place' : 'address');
  const kind = AddressKindSchema.safeParse(kindText);
  if (!kind.success) {
    return {
      reason: `kind: "${kindText.slice(0, 40)}" is not one of ${AddressKindSchema.options.join(', ')}`,
    };
  }
  const lat = numberOf(c.lat);
  const lng = numberOf(c.lng);
  if (lat === null || lat < -90 || lat > 90)
    return { reason: 'lat: a latitude in degrees, -90 to 90' };
  if (lng === null || lng < -180 || lng > 180) {
    return { reason: 'lng: a longitude in degrees, -180 to 180' };
  }
  return { address, place, kind: kind.data, lat: round7(lat), lng: round7(lng) };
}

function parseCsv(content: string): {
  candidates: Candidate[];
  rejected: AddressImportResult['rejected'];
} {
  if (content.includes('\u0000')) throw notAFile('This is not a CSV file: it holds binary data.');
  const rejected: AddressImportResult['rejected'] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvText(content, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: 4096,
      on_skip: (err) => {
        const line = err?.lines;
        rejected.push({
          row: typeof line === 'number' && line > 0 ? line : 1,
          reason: 'the line could not be read as CSV (a field count or a quote is wrong)',
        });
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw notAFile(`This is not a readable CSV file: ${err instanceof Error ? err.message : err}`);
  }
  const [head, ...rows] = records;
  if (!head) throw notAFile('The file is empty: a CSV needs a header row such as address,lat,lng.');
  const header = head.record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !KNOWN.has(h));
  if (unknown.length > 0 || !header.includes('lat') || !header.includes('lng')) {
    throw notAFile(
      `This is not an address CSV: the header row (line 1) must name lat, lng and address or place, from ${ADDRESS_COLUMNS.join(', ')}` +
        (unknown.length > 0
          ? `; unknown: ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}`
          : '') +
        ' (docs/address-points.md).',
    );
  }
  if (new Set(header).size !== header.length)
    throw notAFile('The header row names a column twice.');
  const candidates = rows.map(({ record, info }) => {
    const columns: Record<string, string> = {};
    header.forEach((name, i) => (columns[name] = record[i] ?? ''));
    return { row: info.lines, columns };
  });
  return { candidates, rejected };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseGeoJson(content: string): {
  candidates: Candidate[];
  rejected: AddressImportResult['rejected'];
} {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw notAFile('This is not a GeoJSON file: it is not valid JSON.');
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw notAFile(
      'This is not a GeoJSON FeatureCollection: expected {"type": "FeatureCollection", "features": [...]}.',
    );
  }
  const candidates: Candidate[] = [];
  const rejected: AddressImportResult['rejected'] = [];
  doc.features.forEach((f: unknown, i: number) => {
    const row = i + 1;
    const g = isObject(f) ? f.geometry : undefined;
    const coords = isObject(g) && g.type === 'Point' ? g.coordinates : undefined;
    if (!isObject(f) || f.type !== 'Feature') {
      rejected.push({ row, reason: 'not a GeoJSON Feature' });
    } else if (
      !Array.isArray(coords) ||
      typeof coords[0] !== 'number' ||
      typeof coords[1] !== 'number'
    ) {
      rejected.push({
        row,
        reason: 'geometry: an address point is a Point with coordinates [lng, lat]',
      });
    } else if (f.properties !== undefined && f.properties !== null && !isObject(f.properties)) {
      rejected.push({ row, reason: 'properties: expected an object with address, place, kind' });
    } else {
      const props = (f.properties ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(props).filter((k) => !KNOWN.has(k) || k === 'lat' || k === 'lng');
      if (unknown.length > 0) {
        rejected.push({
          row,
          reason: `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown
            .slice(0, 5)
            .map((k) => `"${k.slice(0, 40)}"`)
            .join(', ')}; the properties are address, place, kind`,
        });
      } else candidates.push({ row, columns: { ...props, lng: coords[0], lat: coords[1] } });
    }
  });
  return { candidates, rejected };
}

const samePoint = (a: NewAddressPoint, b: NewAddressPoint) =>
  a.address === b.address &&
  a.place === b.place &&
  a.kind === b.kind &&
  round7(a.lat) === round7(b.lat) &&
  round7(a.lng) === round7(b.lng);

/**
 * Imports the agency's address points: every row is checked on its own; good rows are written
 * together (one audit row, one event), bad rows come back with the reason. A point is keyed by
 * its address (case and spacing aside): a row for an address already there updates it when
 * something differs and is counted unchanged otherwise, so importing a file twice changes nothing.
 * A later row for the same address in one file is refused as a repeat. `wf addresses import` calls
 * this too.
 */
export async function importAddresses(
  ctx: ServerContext,
  input: AddressImport,
  actor: Actor,
): Promise<AddressImportResult> {
  const file = input.format === 'csv' ? parseCsv(input.content) : parseGeoJson(input.content);
  const rejected = [...file.rejected];
  const valid: NewAddressPoint[] = [];
  const rowOfKey = new Map<string, number>();
  for (const c of file.candidates) {
    const p = pointFromColumns(c.columns);
    if ('reason' in p) {
      rejected.push({ row: c.row, reason: p.reason });
      continue;
    }
    const key = matchKeyOf(p);
    const first = rowOfKey.get(key);
    if (first !== undefined) {
      rejected.push({
        row: c.row,
        reason: `address: repeats row ${first} ("${p.address.slice(0, 60)}")`,
      });
      continue;
    }
    rowOfKey.set(key, c.row);
    valid.push(p);
  }
  rejected.sort((a, b) => a.row - b.row);
  const rows = file.candidates.length + file.rejected.length;

  const { value } = await ctx.record({
    apply: async ({ tx, at }): Promise<AddressImportResult> => {
      const existing = await findByKeys(tx, valid.map(matchKeyOf));
      let created = 0;
      let updated = 0;
      const changed: NewAddressPoint[] = [];
      for (const p of valid) {
        const old = existing.get(matchKeyOf(p));
        if (!old) created += 1;
        else if (!samePoint(old, p)) updated += 1;
        else continue;
        changed.push(p);
      }
      await upsertAddressPoints(tx, at, changed);
      return { created, updated, unchanged: valid.length - changed.length, rejected };
    },
    audit: (r) =>
      auditBy(actor, {
        action: 'address.import',
        outcome: 'success',
        details: {
          format: input.format,
          rows,
          created: r.created,
          updated: r.updated,
          unchanged: r.unchanged,
          rejected: r.rejected.length,
        },
      }),
    event: (r) =>
      r.created + r.updated > 0
        ? {
            type: 'addresses.imported',
            payload: { created: r.created, updated: r.updated, rejected: r.rejected.length },
          }
        : null,
  });
  return value;
}
