import type {
  CameraKind,
  NewCamera,
  PtzProtocol,
  SourceProtocol,
} from '../../../shared/domain/cameras';
import type { CameraPatch } from '../../../shared/api/cameras';
import type { CameraAdminDetail } from '../../../shared/api/cameraAdmin';
import type { PolicyKeeper } from '../../../shared/domain/cameraAdmin';
import type { ImportFormat } from '../../../shared/api/cameras';
import {
  ScheduleWindowSchema,
  SharingPolicySchema,
  WEEKDAYS,
  type SharingPolicy,
  type Weekday,
} from '../../../shared/domain/sharingPolicy';

/**
 * The camera form's draft and the rules that turn it into a request (docs/cameras-admin.md).
 * Pure: the panel renders it, the store sends what it makes, the tests read it directly.
 * Every field is text while it is typed; numbers are read when the draft is checked.
 */

export interface SourceDraft {
  protocol: SourceProtocol;
  url: string;
  substreamUrl: string;
  ptz: boolean;
  /** Where the camera takes PTZ commands (docs/ptz.md); only with `ptz`. */
  ptzUrl: string;
  /** How the control address is spoken to: a JSON post, or ONVIF's device service. */
  ptzProtocol: PtzProtocol;
  username: string;
  password: string;
  /** Whether credentials are on file (the form never sees them, only this). */
  credentialsOnFile: boolean;
  /** Replace the credentials on file with the two fields above (else they are kept). */
  replaceCredentials: boolean;
}

export interface RecordingsDraft {
  urlTemplate: string;
  username: string;
  password: string;
  credentialsOnFile: boolean;
  replaceCredentials: boolean;
}

/** One weekly window as the form edits it: days ticked, times as the time inputs give them. */
export interface WindowDraft {
  days: Weekday[];
  start: string;
  end: string;
}

/** The parts of an owner's sharing policy the form edits (when the agency keeps it). */
export interface SharingDraft {
  mode: 'always' | 'schedule' | 'alarm';
  windows: WindowDraft[];
  alsoDuringAlarm: boolean;
  /** YYYY-MM-DD, or '' for no first or last day. */
  validFrom: string;
  validUntil: string;
  live: boolean;
  recordings: boolean;
  ptz: boolean;
  withdrawn: boolean;
}

/** A new window: weekdays, office hours, for the admin to adjust. */
export function emptyWindow(): WindowDraft {
  return { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' };
}

/** Ticks or unticks a day, keeping the days in week order. */
export function toggleDay(w: WindowDraft, day: Weekday, on: boolean): WindowDraft {
  const days = WEEKDAYS.filter((d) => (d === day ? on : w.days.includes(d)));
  return { ...w, days };
}

export interface CameraDraft {
  /** null for a camera not yet created. */
  id: string | null;
  kind: CameraKind;
  name: string;
  lat: string;
  lng: string;
  address: string;
  notes: string;
  bearingDeg: string;
  fovDeg: string;
  rangeM: string;
  retentionDays: string;
  ownerName: string;
  ownerPhone: string;
  ownerEmail: string;
  policyKeeper: PolicyKeeper;
  /** Integrated cameras on file: the owner's policy as the form edits it. */
  sharing: SharingDraft | null;
  /** null: the camera has no live source (registered cameras never do). */
  source: SourceDraft | null;
  recordings: RecordingsDraft | null;
}

export type FieldErrors = Readonly<Record<string, string>>;

export function emptySource(): SourceDraft {
  return {
    protocol: 'rtsp',
    url: '',
    substreamUrl: '',
    ptz: false,
    ptzUrl: '',
    ptzProtocol: 'json',
    username: '',
    password: '',
    credentialsOnFile: false,
    replaceCredentials: true,
  };
}

export function emptyRecordings(): RecordingsDraft {
  return {
    urlTemplate: '',
    username: '',
    password: '',
    credentialsOnFile: false,
    replaceCredentials: true,
  };
}

export function emptyDraft(kind: CameraKind): CameraDraft {
  return {
    id: null,
    kind,
    name: '',
    lat: '',
    lng: '',
    address: '',
    notes: '',
    bearingDeg: '',
    fovDeg: '',
    rangeM: '',
    retentionDays: '',
    ownerName: '',
    ownerPhone: '',
    ownerEmail: '',
    policyKeeper: 'agency',
    sharing: null,
    source: kind === 'registered' ? null : emptySource(),
    recordings: null,
  };
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The form for a camera on file: its fields as text, credentials only as "on file". */
export function draftFromDetail(d: CameraAdminDetail): CameraDraft {
  const c = d.camera;
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    lat: String(c.lat),
    lng: String(c.lng),
    address: c.address ?? '',
    notes: c.notes ?? '',
    bearingDeg: text(c.bearingDeg),
    fovDeg: text(c.fovDeg),
    rangeM: text(c.rangeM),
    retentionDays: text(c.retentionDays),
    ownerName: d.owner?.name ?? '',
    ownerPhone: d.owner?.phone ?? '',
    ownerEmail: d.owner?.email ?? '',
    policyKeeper: d.policyKeeper,
    sharing: c.sharing
      ? {
          mode: c.sharing.mode,
          windows: c.sharing.windows.map((w) => ({
            days: [...w.days],
            start: w.start,
            end: w.end,
          })),
          alsoDuringAlarm: c.sharing.alsoDuringAlarm,
          validFrom: c.sharing.validFrom ?? '',
          validUntil: c.sharing.validUntil ?? '',
          live: c.sharing.live,
          recordings: c.sharing.recordings,
          ptz: c.sharing.ptz,
          withdrawn: c.sharing.withdrawn,
        }
      : null,
    source: d.source
      ? {
          protocol: d.source.protocol,
          url: d.source.url,
          substreamUrl: d.source.substreamUrl ?? '',
          ptz: d.source.ptz,
          ptzUrl: d.source.ptzUrl ?? '',
          ptzProtocol: d.source.ptzProtocol,
          username: '',
          password: '',
          credentialsOnFile: d.source.credentials === 'set',
          replaceCredentials: false,
        }
      : null,
    recordings: d.recordings
      ? {
          urlTemplate: d.recordings.urlTemplate,
          username: '',
          password: '',
          credentialsOnFile: d.recordings.credentials === 'set',
          replaceCredentials: false,
        }
      : null,
  };
}

/** The owner's policy is edited here only when the agency keeps it on the owner's behalf. */
export function sharingEditable(d: Pick<CameraDraft, 'kind' | 'policyKeeper' | 'id'>): boolean {
  return d.kind === 'integrated' && d.id !== null && d.policyKeeper === 'agency';
}

/** What the form says of stored credentials: never their value. */
export function credentialLabel(onFile: boolean, replacing: boolean): string {
  if (replacing) return onFile ? 'replacing the credentials on file' : 'no credentials on file';
  return onFile ? 'credentials set (kept)' : 'no credentials';
}

/** "36.0999, -80.2442" or "36.0999 -80.2442" typed in one box: the point, or null. */
export function parseTypedLocation(typed: string): { lat: number; lng: number } | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(typed);
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return null;
  return { lat, lng };
}

const SOURCE_URL_RE = /^(rtsp|rtsps|http|https):\/\/[^\s/?#]+/i;
const HTTP_URL_RE = /^https?:\/\/[^\s/?#]+/i;

function num(
  errors: Record<string, string>,
  field: string,
  raw: string,
  check: (n: number) => string | null,
): number | undefined {
  if (raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    errors[field] = 'a number';
    return undefined;
  }
  const problem = check(n);
  if (problem) errors[field] = problem;
  return n;
}

/**
 * The draft's problems by field, the same rules the server applies (shared/domain/cameras.ts):
 * the console says them as the admin types, the server still refuses anything that slips by.
 */
export function validateDraft(d: CameraDraft): FieldErrors {
  const e: Record<string, string> = {};
  if (d.name.trim() === '') e.name = 'a camera needs a name';
  if (d.lat.trim() === '' || d.lng.trim() === '')
    e.location = 'pick the place on the map or type it';
  num(e, 'lat', d.lat, (n) => (n < -90 || n > 90 ? 'latitude is -90 to 90' : null));
  num(e, 'lng', d.lng, (n) => (n < -180 || n > 180 ? 'longitude is -180 to 180' : null));
  num(e, 'bearingDeg', d.bearingDeg, (n) =>
    n < 0 || n >= 360 ? 'a bearing is 0 to 359 degrees' : null,
  );
  num(e, 'fovDeg', d.fovDeg, (n) =>
    n <= 0 || n > 360 ? 'a field of view is 1 to 360 degrees' : null,
  );
  num(e, 'rangeM', d.rangeM, (n) => (n <= 0 || n > 2000 ? 'a range is up to 2,000 m' : null));
  if (d.kind === 'registered') {
    num(e, 'retentionDays', d.retentionDays, (n) =>
      !Number.isInteger(n) || n < 0 || n > 3650 ? 'whole days, 0 to 3650' : null,
    );
    if (d.ownerName.trim() === '') e.ownerName = 'a registered camera has an owner';
  }
  if (d.ownerEmail.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.ownerEmail.trim()))
    e.ownerEmail = 'an email address';
  if (d.kind !== 'registered') {
    if (!d.source || d.source.url.trim() === '') e['source.url'] = 'a live source is needed';
    else if (!SOURCE_URL_RE.test(d.source.url.trim()))
      e['source.url'] = 'an rtsp://, rtsps://, http:// or https:// address';
    if (
      d.source &&
      d.source.substreamUrl.trim() !== '' &&
      !SOURCE_URL_RE.test(d.source.substreamUrl.trim())
    )
      e['source.substreamUrl'] = 'an rtsp://, rtsps://, http:// or https:// address';
    if (d.source?.ptz && d.source.ptzUrl.trim() !== '' && !HTTP_URL_RE.test(d.source.ptzUrl.trim()))
      e['source.ptzUrl'] = 'an http:// or https:// address';
  }
  if (d.sharing) sharingProblems(e, d.sharing);
  if (d.recordings) {
    const u = d.recordings.urlTemplate.trim();
    if (!HTTP_URL_RE.test(u)) e['recordings.urlTemplate'] = 'an http:// or https:// address';
    else if (!/\{start(_unix)?\}/.test(u) || !/\{end(_unix)?\}/.test(u))
      e['recordings.urlTemplate'] =
        'name the start ({start} or {start_unix}) and end ({end} or {end_unix})';
  }
  return e;
}

/**
 * The policy's windows and dates, checked by the schema the server keeps the policy with
 * (shared/domain/sharingPolicy.ts), under the keys the server's 400 names them by.
 */
function sharingProblems(e: Record<string, string>, s: SharingDraft): void {
  s.windows.forEach((w, i) => {
    const checked = ScheduleWindowSchema.safeParse(w);
    if (!checked.success) e[`sharing.windows.${i}`] = checked.error.issues[0]!.message;
  });
  for (const k of ['validFrom', 'validUntil'] as const) {
    if (s[k] === '') continue;
    const checked = SharingPolicySchema.shape[k].safeParse(s[k]);
    if (!checked.success) e[`sharing.${k}`] = checked.error.issues[0]!.message;
  }
}

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

function ownerOf(d: CameraDraft) {
  if (d.ownerName.trim() === '') return undefined;
  return {
    name: d.ownerName.trim(),
    ...(opt(d.ownerPhone) ? { phone: opt(d.ownerPhone)! } : {}),
    ...(opt(d.ownerEmail) ? { email: opt(d.ownerEmail)! } : {}),
  };
}

/** The source as the server takes it: new credentials, or "keep the ones on file". */
export function sourceInput(s: SourceDraft) {
  const keep = s.credentialsOnFile && !s.replaceCredentials;
  return {
    protocol: s.protocol,
    url: s.url.trim(),
    ...(opt(s.substreamUrl) ? { substreamUrl: opt(s.substreamUrl)! } : {}),
    ptz: s.ptz,
    ...(s.ptz && opt(s.ptzUrl) ? { ptzUrl: opt(s.ptzUrl)!, ptzProtocol: s.ptzProtocol } : {}),
    ...(keep
      ? { keepCredentials: true }
      : {
          ...(opt(s.username) ? { username: s.username.trim() } : {}),
          ...(s.password !== '' ? { password: s.password } : {}),
        }),
  };
}

/** The recordings source as the server takes it: new credentials, or "keep the ones on file". */
export function recordingsInput(r: RecordingsDraft) {
  const keep = r.credentialsOnFile && !r.replaceCredentials;
  return {
    urlTemplate: r.urlTemplate.trim(),
    ...(keep
      ? { keepCredentials: true }
      : {
          ...(opt(r.username) ? { username: r.username.trim() } : {}),
          ...(r.password !== '' ? { password: r.password } : {}),
        }),
  };
}

const numOrUndef = (s: string) => (s.trim() === '' ? undefined : Number(s));
const numOrNull = (s: string) => (s.trim() === '' ? null : Number(s));

/** A new camera from a checked draft. */
export function toNewCamera(d: CameraDraft): NewCamera {
  const common = {
    name: d.name.trim(),
    lat: Number(d.lat),
    lng: Number(d.lng),
    ...(opt(d.address) ? { address: opt(d.address)! } : {}),
    ...(opt(d.notes) ? { notes: opt(d.notes)! } : {}),
    ...(numOrUndef(d.bearingDeg) === undefined ? {} : { bearingDeg: Number(d.bearingDeg) }),
    ...(numOrUndef(d.fovDeg) === undefined ? {} : { fovDeg: Number(d.fovDeg) }),
    ...(numOrUndef(d.rangeM) === undefined ? {} : { rangeM: Number(d.rangeM) }),
  };
  const recordings = d.recordings ? { recordings: recordingsInput(d.recordings) } : {};
  if (d.kind === 'registered') {
    return {
      kind: 'registered',
      ...common,
      owner: ownerOf(d)!,
      ...(numOrUndef(d.retentionDays) === undefined
        ? {}
        : { retentionDays: Number(d.retentionDays) }),
    } as NewCamera;
  }
  const source = sourceInput(d.source!);
  if (d.kind === 'integrated') {
    const owner = ownerOf(d);
    return {
      kind: 'integrated',
      ...common,
      ...(owner ? { owner } : {}),
      source,
      ...recordings,
      // A new integrated camera shares nothing until its owner's terms are entered.
      sharing: { mode: 'schedule' },
    } as NewCamera;
  }
  return { kind: 'agency', ...common, source, ...recordings } as NewCamera;
}

/**
 * The change from the camera as loaded to the draft: only the fields that differ, so the trail's
 * before and after name what the admin actually changed.
 */
export function toPatch(original: CameraDraft, d: CameraDraft): CameraPatch | null {
  const p: Record<string, unknown> = {};
  if (d.name.trim() !== original.name) p.name = d.name.trim();
  if (d.lat !== original.lat || d.lng !== original.lng) {
    p.lat = Number(d.lat);
    p.lng = Number(d.lng);
  }
  if (d.address.trim() !== original.address) p.address = opt(d.address) ?? null;
  if (d.notes.trim() !== original.notes) p.notes = opt(d.notes) ?? null;
  for (const k of ['bearingDeg', 'fovDeg', 'rangeM'] as const)
    if (d[k].trim() !== original[k]) p[k] = numOrNull(d[k]);
  if (d.kind === 'registered' && d.retentionDays.trim() !== original.retentionDays)
    p.retentionDays = numOrNull(d.retentionDays);
  if (d.kind !== 'agency') {
    const owner = ownerOf(d);
    const before = ownerOf(original);
    if (JSON.stringify(owner) !== JSON.stringify(before))
      p.owner = owner ?? (d.kind === 'integrated' ? null : undefined);
  }
  if (d.kind === 'integrated' && d.policyKeeper !== original.policyKeeper)
    p.policyKeeper = d.policyKeeper;
  if (d.sharing && original.sharing && sharingEditable(original)) {
    const changed: Record<string, unknown> = {};
    for (const k of ['mode', 'alsoDuringAlarm', 'live', 'recordings', 'ptz', 'withdrawn'] as const)
      if (d.sharing[k] !== original.sharing[k]) changed[k] = d.sharing[k];
    if (JSON.stringify(d.sharing.windows) !== JSON.stringify(original.sharing.windows))
      changed.windows = d.sharing.windows.map((w) => ({
        days: w.days,
        start: w.start,
        end: w.end,
      }));
    // An emptied date is removed (null), as the patch says.
    for (const k of ['validFrom', 'validUntil'] as const)
      if (d.sharing[k] !== original.sharing[k])
        changed[k] = d.sharing[k] === '' ? null : d.sharing[k];
    if (Object.keys(changed).length > 0) p.sharing = changed;
  }
  if (d.source && JSON.stringify(d.source) !== JSON.stringify(original.source))
    p.source = sourceInput(d.source);
  if (JSON.stringify(d.recordings) !== JSON.stringify(original.recordings))
    p.recordings = d.recordings ? recordingsInput(d.recordings) : null;
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return Object.keys(p).length === 0 ? null : (p as CameraPatch);
}

/** The file's format by its name, or null when it is neither CSV nor GeoJSON. */
export function importFormatOf(filename: string): ImportFormat | null {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  return null;
}

const EARTH_M = 6_371_008.8;

/**
 * The outline of what the camera sees, for the map in the form: the camera, then points along
 * the arc of its field of view at its range (the default 60 m when none is set). Empty when the
 * bearing is not known.
 */
export function viewWedge(
  lat: number,
  lng: number,
  bearingDeg: number | null,
  fovDeg: number | null,
  rangeM: number | null,
): [number, number][] {
  if (bearingDeg === null) return [];
  const fov = Math.min(fovDeg ?? 60, 360);
  const range = rangeM ?? 60;
  const steps = Math.max(2, Math.ceil(fov / 10));
  const points: [number, number][] = [[lat, lng]];
  for (let i = 0; i <= steps; i++) {
    const b = ((bearingDeg - fov / 2 + (fov * i) / steps) * Math.PI) / 180;
    const dLat = ((range * Math.cos(b)) / EARTH_M) * (180 / Math.PI);
    const dLng =
      ((range * Math.sin(b)) / (EARTH_M * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
    points.push([lat + dLat, lng + dLng]);
  }
  return points;
}

/** The owner's policy in one line, as it stands on file: mode, windows, dates, what is shared. */
export function policySummary(p: SharingPolicy): string {
  const parts: string[] = [];
  if (p.withdrawn) parts.push('consent withdrawn');
  parts.push(
    p.mode === 'always'
      ? 'always'
      : p.mode === 'alarm'
        ? "only while the owner's alarm is raised"
        : `in windows: ${p.windows.map((w) => `${w.days.join(',')} ${w.start}-${w.end}`).join('; ') || 'none'}${p.alsoDuringAlarm ? ', and during an alarm' : ''}`,
  );
  if (p.validFrom || p.validUntil)
    parts.push(`from ${p.validFrom ?? '…'} to ${p.validUntil ?? '…'}`);
  const shared = (['live', 'recordings', 'ptz'] as const).filter((k) => p[k]);
  parts.push(shared.length > 0 ? `shares ${shared.join(', ')}` : 'shares nothing');
  return parts.join(' · ');
}
