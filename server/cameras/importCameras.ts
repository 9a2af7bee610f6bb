import { randomUUID } from 'node:crypto';
import { parse as parseCsvText, type CsvError } from 'csv-parse/sync';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { NewCamera } from '../../shared/domain/cameras';
import type { ImportFormat, ImportRejection, ImportResult } from '../../shared/api/cameras';
import {
  cameraFromColumns,
  EXPORT_ONLY_COLUMNS,
  IMPORT_COLUMNS,
  REQUIRED_COLUMNS,
  type ImportRow,
} from './cameraColumns';
import { duplicateReason, loadDuplicateIndex } from './cameraDuplicates';
import { insertCameras } from './cameraRepository';
import { cameraSecretsOf } from './cameraSecrets';

export interface ImportInput {
  readonly format: ImportFormat;
  /** CSV: the text. GeoJSON: the text, or the document already parsed from a JSON body. */
  readonly content: unknown;
}

interface Candidate {
  /** CSV: the line the row starts on. GeoJSON: the feature's 1-based position. */
  readonly row: number;
  readonly columns: ImportRow;
}

interface ParsedFile {
  readonly candidates: readonly Candidate[];
  /** Rows refused before their columns were read (a broken CSV line, a feature with no point). */
  readonly rejected: readonly ImportRejection[];
}

const KNOWN_COLUMNS = new Set<string>([...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS]);
const IGNORED_COLUMNS = new Set<string>(EXPORT_ONLY_COLUMNS);
/** A single CSV record longer than this is not a camera. */
const MAX_CSV_RECORD = 64 * 1024;

const notAFile = (message: string) => new HttpError(400, message, undefined, 'import_unreadable');

function checkHeader(header: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw notAFile(`The header row names the column "${name}" twice.`);
    seen.add(name);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw notAFile(
      `This is not a camera CSV: the header row (line 1) lacks ${missing.join(', ')}. ` +
        'The first line names the columns, e.g. kind,name,lat,lng,address (docs/cameras-import.md).',
    );
  }
  const unknown = header.filter((c) => !KNOWN_COLUMNS.has(c));
  if (unknown.length > 0) {
    throw notAFile(
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c.slice(0, 40)}"`).join(', ')}. ` +
        `The columns are: ${IMPORT_COLUMNS.join(', ')}.`,
    );
  }
}

function csvProblem(err: CsvError | undefined): string {
  if (!err) return 'the line could not be read';
  const m = /expect (\d+), got (\d+)/.exec(err.message);
  if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && m) {
    const fields = (n: string) => `${n} field${n === '1' ? '' : 's'}`;
    return `the line has ${fields(m[2]!)} but the header has ${fields(m[1]!)}`;
  }
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is never closed';
  return err.message.replace(/ on line \d+$/, '');
}

interface CsvRecord {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

function parseCsv(content: unknown): ParsedFile {
  if (typeof content !== 'string') throw notAFile('A CSV import is sent as text (text/csv).');
  if (content.includes('\u0000')) throw notAFile('This is not a CSV file: it holds binary data.');
  if (content.trim() === '') {
    throw notAFile('The file is empty: a CSV needs a header row such as kind,name,lat,lng.');
  }
  const rejected: ImportRejection[] = [];
  let records: CsvRecord[];
  try {
    records = parseCsvText(content, {
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_CSV_RECORD,
      on_skip: (err) => {
        const line = err?.lines;
        rejected.push({
          row: typeof line === 'number' && line > 0 ? line : 1,
          reason: csvProblem(err),
        });
        return undefined;
      },
    }) as unknown as CsvRecord[];
  } catch (err) {
    throw notAFile(`This is not a readable CSV file: ${err instanceof Error ? err.message : err}`);
  }
  const [head, ...rows] = records;
  if (!head) throw notAFile('This is not a readable CSV file: no line could be read.');
  const header = head.record.map((h) => h.trim().toLowerCase());
  checkHeader(header);
  const candidates = rows.map(({ record, raw, info }) => {
    const columns: Record<string, string> = {};
    header.forEach((name, i) => {
      if (!IGNORED_COLUMNS.has(name)) columns[name] = record[i] ?? '';
    });
    // `lines` counts to the record's end; a quoted field may have carried it over several.
    // Its raw text also carries any blank lines skipped before it, which are not part of it.
    const text = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
    const linesInside = (text.match(/\n/g) ?? []).length;
    return { row: info.lines - linesInside, columns };
  });
  return { candidates, rejected };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function featureColumns(feature: unknown): ImportRow | string {
  if (!isObject(feature) || feature.type !== 'Feature') return 'not a GeoJSON Feature';
  const g = feature.geometry;
  const coords = isObject(g) && g.type === 'Point' ? g.coordinates : undefined;
  if (
    !Array.isArray(coords) ||
    coords.length < 2 ||
    typeof coords[0] !== 'number' ||
    typeof coords[1] !== 'number'
  ) {
    return 'geometry: a camera is a GeoJSON Point with coordinates [lng, lat]';
  }
  const props = feature.properties ?? {};
  if (!isObject(props)) return 'properties: expected an object of camera columns';
  const unknown = Object.keys(props).filter((k) => !KNOWN_COLUMNS.has(k));
  if (unknown.length > 0) {
    return `unknown propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown
      .slice(0, 5)
      .map((k) => `"${k.slice(0, 40)}"`)
      .join(', ')}; the columns are listed in docs/cameras-import.md`;
  }
  const columns: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!IGNORED_COLUMNS.has(k)) columns[k] = v;
  // The geometry is where the camera is; lat/lng properties, if any, do not override it.
  return { ...(columns as ImportRow), lng: coords[0], lat: coords[1] };
}

function parseGeoJson(content: unknown): ParsedFile {
  let doc = content;
  if (typeof content === 'string') {
    if (content.trim() === '') throw notAFile('The file is empty.');
    try {
      doc = JSON.parse(content);
    } catch {
      throw notAFile('This is not a GeoJSON file: it is not valid JSON.');
    }
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw notAFile(
      'This is not a GeoJSON FeatureCollection: expected {"type": "FeatureCollection", "features": [...]}.',
    );
  }
  const candidates: Candidate[] = [];
  const rejected: ImportRejection[] = [];
  doc.features.forEach((feature: unknown, i: number) => {
    const columns = featureColumns(feature);
    if (typeof columns === 'string') rejected.push({ row: i + 1, reason: columns });
    else candidates.push({ row: i + 1, columns });
  });
  return { candidates, rejected };
}

/**
 * Imports a registry file: every row is checked on its own, good rows are created together in
 * one transaction (with one audit row and one event), bad rows come back with the reason. A row
 * that repeats a camera (same kind and name within 1 m, already registered or earlier in the
 * file) is refused as a duplicate. A file that is not CSV or GeoJSON at all is a 400.
 *
 * The `wf cameras import FILE` command calls this too.
 */
export async function importCameras(
  ctx: ServerContext,
  input: ImportInput,
  actor: Actor,
): Promise<ImportResult> {
  const file = input.format === 'csv' ? parseCsv(input.content) : parseGeoJson(input.content);
  const rejected: ImportRejection[] = [...file.rejected];
  const valid: { row: number; camera: NewCamera }[] = [];
  for (const c of file.candidates) {
    const result = cameraFromColumns(c.columns);
    if ('reason' in result) rejected.push({ row: c.row, reason: result.reason });
    else valid.push({ row: c.row, camera: result.camera });
  }
  const rows = file.candidates.length + file.rejected.length;

  const { value } = await ctx.record({
    apply: async ({ tx, at }): Promise<ImportResult> => {
      const index = await loadDuplicateIndex(
        tx,
        valid.map((v) => v.camera),
      );
      const toInsert: { id: string; camera: NewCamera }[] = [];
      for (const { row, camera } of valid) {
        if (index.has(camera)) {
          rejected.push({ row, reason: duplicateReason(camera) });
          continue;
        }
        index.add(camera);
        toInsert.push({ id: randomUUID(), camera });
      }
      await insertCameras(tx, at, toInsert, cameraSecretsOf(ctx.config));
      rejected.sort((a, b) => a.row - b.row);
      return { created: toInsert.length, rejected };
    },
    audit: (r) =>
      auditBy(actor, {
        action: 'camera.import',
        targetType: 'camera',
        outcome: 'success',
        // Counts only: a rejected row's cells may hold an owner's contact.
        details: { format: input.format, rows, created: r.created, rejected: r.rejected.length },
      }),
    event: (r) =>
      r.created > 0
        ? {
            type: 'cameras.imported',
            payload: { source: input.format, created: r.created, rejected: r.rejected.length },
          }
        : null,
  });
  return value;
}
