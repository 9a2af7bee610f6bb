import {
  CAMERA_KINDS,
  NewCameraSchema,
  type Camera,
  type CameraKind,
  type NewCamera,
} from '../../shared/domain/cameras';
import { ScheduleWindowSchema, type ScheduleWindow } from '../../shared/domain/sharingPolicy';
import { formatWindowsText, parseWindowsText } from './windowsText';

/**
 * The flat columns of a camera, shared by the CSV importer, GeoJSON properties and the export
 * (docs/cameras-import.md describes each). The export writes the same names, so an exported file
 * can be edited and imported again.
 */
export const IMPORT_COLUMNS = [
  'kind',
  'name',
  'lat',
  'lng',
  'address',
  'notes',
  'bearing',
  'fov',
  'range_m',
  'retention_days',
  'owner_name',
  'owner_phone',
  'owner_email',
  'source_protocol',
  'source_url',
  'source_username',
  'source_password',
  'codec_hint',
  'substream_url',
  'ptz',
  'recordings_url',
  'recordings_username',
  'recordings_password',
  'sharing_mode',
  'sharing_windows',
  'sharing_also_during_alarm',
  'sharing_valid_from',
  'sharing_valid_until',
  'sharing_live',
  'sharing_recordings',
  'sharing_ptz',
  'sharing_withdrawn',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Written by the export and ignored by the importer: the server decides these. */
export const EXPORT_ONLY_COLUMNS = [
  'id',
  'status',
  'has_owner_contact',
  'has_substream',
  'has_recordings',
  'alarm_active',
  'created_at',
  'updated_at',
] as const;

export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['kind', 'name', 'lat', 'lng'];

export type Cell = string | number | boolean | null | undefined | readonly ScheduleWindow[];
export type ImportRow = Readonly<Partial<Record<string, Cell>>>;

const OWNER_COLUMNS: readonly ImportColumn[] = ['owner_name', 'owner_phone', 'owner_email'];
const SOURCE_COLUMNS: readonly ImportColumn[] = [
  'source_protocol',
  'source_url',
  'source_username',
  'source_password',
  'codec_hint',
  'substream_url',
  'ptz',
  'recordings_url',
  'recordings_username',
  'recordings_password',
];
const RECORDINGS_COLUMNS: readonly ImportColumn[] = [
  'recordings_url',
  'recordings_username',
  'recordings_password',
];
const SHARING_COLUMNS = IMPORT_COLUMNS.filter((c) => c.startsWith('sharing_'));

/** Where a schema path lands in the flat columns, for messages that name the cell to fix. */
const COLUMN_OF_PATH: Readonly<Record<string, ImportColumn>> = {
  retentionDays: 'retention_days',
  bearingDeg: 'bearing',
  fovDeg: 'fov',
  rangeM: 'range_m',
  'owner.name': 'owner_name',
  'owner.phone': 'owner_phone',
  'owner.email': 'owner_email',
  'source.protocol': 'source_protocol',
  'source.url': 'source_url',
  'source.username': 'source_username',
  'source.password': 'source_password',
  'source.codecHint': 'codec_hint',
  'source.substreamUrl': 'substream_url',
  'source.ptz': 'ptz',
  'recordings.urlTemplate': 'recordings_url',
  'recordings.username': 'recordings_username',
  'recordings.password': 'recordings_password',
  'sharing.mode': 'sharing_mode',
  'sharing.windows': 'sharing_windows',
  'sharing.alsoDuringAlarm': 'sharing_also_during_alarm',
  'sharing.validFrom': 'sharing_valid_from',
  'sharing.validUntil': 'sharing_valid_until',
  'sharing.live': 'sharing_live',
  'sharing.recordings': 'sharing_recordings',
  'sharing.ptz': 'sharing_ptz',
  'sharing.withdrawn': 'sharing_withdrawn',
};

function columnOf(path: readonly PropertyKey[]): string {
  const names = path.map(String);
  for (let n = names.length; n > 0; n--) {
    const column = COLUMN_OF_PATH[names.slice(0, n).join('.')];
    if (column) return column;
  }
  return names.join('.') || 'row';
}

/** A row is refused with the first thing wrong in it, named by its column. */
class RowProblem extends Error {}

const problem = (column: string, what: string): never => {
  throw new RowProblem(`${column}: ${what}`);
};

function text(row: ImportRow, column: ImportColumn): string | undefined {
  const v = row[column];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return problem(column, 'expected text, not a list');
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

const NUMBER_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function number(row: ImportRow, column: ImportColumn): number | undefined {
  const v = row[column];
  if (typeof v === 'number') return Number.isFinite(v) ? v : problem(column, 'is not a number');
  const s = text(row, column);
  if (s === undefined) return undefined;
  if (!NUMBER_RE.test(s)) return problem(column, `"${s.slice(0, 40)}" is not a number`);
  return Number(s);
}

const TRUE = ['true', 'yes', 'y', '1'];
const FALSE = ['false', 'no', 'n', '0'];

function flag(row: ImportRow, column: ImportColumn): boolean | undefined {
  const v = row[column];
  if (typeof v === 'boolean') return v;
  const s = text(row, column)?.toLowerCase();
  if (s === undefined) return undefined;
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  return problem(column, `"${s.slice(0, 40)}" is not true or false`);
}

function windows(row: ImportRow): ScheduleWindow[] | undefined {
  const v = row.sharing_windows;
  if (Array.isArray(v)) {
    const parsed = ScheduleWindowSchema.array().safeParse(v);
    if (!parsed.success) {
      return problem(
        'sharing_windows',
        parsed.error.issues[0]?.message ?? 'is not a list of windows',
      );
    }
    return parsed.data;
  }
  const s = text(row, 'sharing_windows');
  if (s === undefined) return undefined;
  const result = parseWindowsText(s);
  return typeof result === 'string' ? problem('sharing_windows', result) : result;
}

/** Drops undefined fields, so that the schema's defaults apply to what the row left out. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const has = (row: ImportRow, columns: readonly ImportColumn[]) =>
  columns.filter((c) => {
    const v = row[c];
    return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  });

function refuseColumns(row: ImportRow, columns: readonly ImportColumn[], why: string): void {
  const present = has(row, columns);
  if (present.length > 0) problem(present[0]!, why);
}

function protocolOf(row: ImportRow, url: string | undefined): string | undefined {
  const given = text(row, 'source_protocol')?.toLowerCase();
  if (given !== undefined || url === undefined) return given;
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  return problem('source_protocol', 'an http(s) source needs its protocol: http-ts, hls or mjpeg');
}

function sourceOf(row: ImportRow, kind: CameraKind): Record<string, unknown> {
  const url = text(row, 'source_url');
  if (url === undefined) {
    return problem('source_url', `an ${kind} camera needs the URL of its video source`);
  }
  return defined({
    protocol: protocolOf(row, url),
    url,
    username: text(row, 'source_username'),
    password: text(row, 'source_password'),
    codecHint: text(row, 'codec_hint')?.toLowerCase(),
    substreamUrl: text(row, 'substream_url'),
    ptz: flag(row, 'ptz'),
  });
}

/** The recordings source, when the row gives one (its URL is what makes it one). */
function recordingsOf(row: ImportRow): Record<string, unknown> | undefined {
  const urlTemplate = text(row, 'recordings_url');
  if (urlTemplate === undefined) {
    refuseColumns(row, RECORDINGS_COLUMNS, 'credentials without a recordings_url have no use');
    return undefined;
  }
  return defined({
    urlTemplate,
    username: text(row, 'recordings_username'),
    password: text(row, 'recordings_password'),
  });
}

function ownerOf(row: ImportRow): Record<string, unknown> | undefined {
  if (has(row, OWNER_COLUMNS).length === 0) return undefined;
  return defined({
    name: text(row, 'owner_name'),
    phone: text(row, 'owner_phone'),
    email: text(row, 'owner_email'),
  });
}

function sharingOf(row: ImportRow): Record<string, unknown> {
  const mode = text(row, 'sharing_mode')?.toLowerCase();
  if (mode === undefined) {
    return problem(
      'sharing_mode',
      "an integrated camera needs the owner's sharing mode: always, schedule or alarm",
    );
  }
  return defined({
    mode,
    windows: windows(row),
    alsoDuringAlarm: flag(row, 'sharing_also_during_alarm'),
    validFrom: text(row, 'sharing_valid_from'),
    validUntil: text(row, 'sharing_valid_until'),
    live: flag(row, 'sharing_live'),
    recordings: flag(row, 'sharing_recordings'),
    ptz: flag(row, 'sharing_ptz'),
    withdrawn: flag(row, 'sharing_withdrawn'),
  });
}

function inputOf(row: ImportRow): Record<string, unknown> {
  const kindText = text(row, 'kind')?.toLowerCase();
  if (kindText === undefined) return problem('kind', `missing: one of ${CAMERA_KINDS.join(', ')}`);
  if (!(CAMERA_KINDS as readonly string[]).includes(kindText)) {
    return problem(
      'kind',
      `"${kindText.slice(0, 40)}" is not a camera kind (${CAMERA_KINDS.join(', ')})`,
    );
  }
  const kind = kindText as CameraKind;
  const common = {
    kind,
    name: text(row, 'name') ?? problem('name', 'missing: a camera needs a name'),
    lat: number(row, 'lat') ?? problem('lat', 'missing: the latitude in degrees'),
    lng: number(row, 'lng') ?? problem('lng', 'missing: the longitude in degrees'),
    address: text(row, 'address'),
    notes: text(row, 'notes'),
    bearingDeg: number(row, 'bearing'),
    fovDeg: number(row, 'fov'),
    rangeM: number(row, 'range_m'),
  };
  switch (kind) {
    case 'registered':
      refuseColumns(row, SOURCE_COLUMNS, 'a registered camera has no feed (use kind integrated)');
      refuseColumns(row, SHARING_COLUMNS, 'only integrated cameras have a sharing policy');
      if (has(row, OWNER_COLUMNS).length === 0) {
        problem('owner_name', "a registered camera needs its owner's name and a contact");
      }
      return defined({
        ...common,
        owner: ownerOf(row),
        retentionDays: number(row, 'retention_days'),
      });
    case 'integrated':
      refuseColumns(row, ['retention_days'], 'only registered cameras record a retention period');
      return defined({
        ...common,
        owner: ownerOf(row),
        source: sourceOf(row, kind),
        recordings: recordingsOf(row),
        sharing: sharingOf(row),
      });
    case 'agency':
      refuseColumns(row, OWNER_COLUMNS, 'agency cameras have no private owner');
      refuseColumns(row, SHARING_COLUMNS, 'only integrated cameras have a sharing policy');
      refuseColumns(row, ['retention_days'], 'only registered cameras record a retention period');
      return defined({ ...common, source: sourceOf(row, kind), recordings: recordingsOf(row) });
  }
}

/** One row's camera, or the reason it is refused (naming the column to fix). */
export function cameraFromColumns(row: ImportRow): { camera: NewCamera } | { reason: string } {
  let input: Record<string, unknown>;
  try {
    input = inputOf(row);
  } catch (err) {
    if (err instanceof RowProblem) return { reason: err.message };
    throw err;
  }
  const parsed = NewCameraSchema.safeParse(input);
  if (parsed.success) return { camera: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { reason: `${columnOf(issue.path)}: ${issue.message}` };
}

/** A camera's public fields under the column names (the export's GeoJSON properties). */
export function columnsOfCamera(c: Camera): Record<string, string | number | boolean | null> {
  const s = c.sharing;
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    name: c.name,
    address: c.address,
    notes: c.notes,
    bearing: c.bearingDeg,
    fov: c.fovDeg,
    range_m: c.rangeM,
    retention_days: c.retentionDays,
    has_owner_contact: c.hasOwnerContact,
    // Facts about a feed: a registered camera has none, and its rows must not look as if it had.
    ...(c.kind === 'registered'
      ? {}
      : { ptz: c.ptz, has_substream: c.hasSubstream, has_recordings: c.hasRecordings }),
    alarm_active: c.alarmActive,
    ...(s
      ? {
          sharing_mode: s.mode,
          sharing_windows: formatWindowsText(s.windows),
          sharing_also_during_alarm: s.alsoDuringAlarm,
          sharing_valid_from: s.validFrom ?? null,
          sharing_valid_until: s.validUntil ?? null,
          sharing_live: s.live,
          sharing_recordings: s.recordings,
          sharing_ptz: s.ptz,
          sharing_withdrawn: s.withdrawn,
        }
      : {}),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}
