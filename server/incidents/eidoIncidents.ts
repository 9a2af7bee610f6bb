import { HttpError } from '../http/errorHandler';
import type { EidoMessage } from '../../shared/api/incidents';
import type { IncidentStatus, IncidentUnit } from '../../shared/domain/incidents';
import type { IncidentUpsert, NarrativeInput } from './incidentChanges';
import { parsePidfLo } from './pidfLo';

/**
 * Turns a NENA EIDO (NENA-STA-021) into incident updates. Real feeds vary, so this reads what is
 * there and tolerates the known variations: a component given as one object or as an array,
 * `lastUpdateTimestamp` beside `lastUpdateTimeStamp`, a reference as `{"$ref": id}` or as a
 * plain string. docs/integrations.md lists the fields read.
 */

const many = <T>(v: T | readonly T[] | undefined): readonly T[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];

const first = (v: string | readonly string[] | undefined): string | undefined =>
  many(v)
    .map((s) => s.trim())
    .find((s) => s.length > 0);

type Ref = string | { $ref: string };
const refId = (r: Ref | undefined): string | undefined => {
  if (r === undefined) return undefined;
  const raw = typeof r === 'string' ? r : r.$ref;
  return raw.replace(/^\$ref:/, '').trim() || undefined;
};

interface Component {
  readonly $id?: string | undefined;
  readonly componentIdentifier?: string | undefined;
  readonly lastUpdateTimeStamp?: string | undefined;
  readonly lastUpdateTimestamp?: string | undefined;
}

const idOf = (c: Component) => c.$id ?? c.componentIdentifier;
const updatedOf = (c: Component) => c.lastUpdateTimeStamp ?? c.lastUpdateTimestamp;

/** A time as the message gave it, checked: a bad one is the sender's error, named. */
function time(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new HttpError(400, `Invalid body.${field}: "${value.slice(0, 40)}" is not a time.`);
  }
  return new Date(ms).toISOString();
}

/** EIDO statuses are registry text; these are the words CADs use for the six states. */
const STATUS_WORDS: Readonly<Record<string, IncidentStatus>> = {
  received: 'pending',
  pending: 'pending',
  new: 'pending',
  created: 'pending',
  queued: 'pending',
  waiting: 'pending',
  dispatched: 'dispatched',
  assigned: 'dispatched',
  enroute: 'en_route',
  responding: 'en_route',
  onscene: 'on_scene',
  arrived: 'on_scene',
  atscene: 'on_scene',
  cleared: 'cleared',
  contained: 'cleared',
  controlled: 'cleared',
  resolved: 'cleared',
  closed: 'closed',
  completed: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
};

function statusOf(text: string | undefined): IncidentStatus | undefined {
  if (!text) return undefined;
  return STATUS_WORDS[text.toLowerCase().replace(/[^a-z]/g, '')];
}

function priorityOf(v: number | string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v.trim().replace(/^P/i, ''));
  if (!Number.isInteger(n) || n < 1 || n > 9) {
    throw new HttpError(400, `Invalid body.${field}: a priority is a whole number from 1 to 9.`);
  }
  return n;
}

export interface EidoUpdates {
  readonly messageId: string | undefined;
  readonly upserts: IncidentUpsert[];
}

export function incidentsFromEido(m: EidoMessage): EidoUpdates {
  const messageAt = time(updatedOf(m), 'lastUpdateTimeStamp');
  const incidents = many(m.incidentComponent);
  if (incidents.length === 0) {
    throw new HttpError(400, 'Invalid body.incidentComponent: the message has no incident.');
  }
  const locations = many(m.locationComponent);
  const notes = many(m.notesComponent);
  const dispatches = many(m.dispatchComponent);
  const calls = many(m.callComponent);
  const callStart = calls
    .map((c, i) => time(c.callStartTimeStamp, `callComponent[${i}].callStartTimeStamp`))
    .filter((t): t is string => t !== undefined)
    .sort()[0];

  // A note or unit names its incident by reference; without one it belongs to the first.
  const belongs = (ref: Ref | undefined, incidentId: string | undefined, index: number) => {
    const target = refId(ref);
    return target === undefined ? index === 0 : target === incidentId;
  };

  const upserts = incidents.map((inc, i): IncidentUpsert => {
    const at = `incidentComponent[${i}]`;
    const number = inc.incidentTrackingIdentifier?.trim() || idOf(inc);
    if (!number) {
      throw new HttpError(400, `Invalid body.${at}.incidentTrackingIdentifier: it is required.`);
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/.test(number)) {
      throw new HttpError(
        400,
        `Invalid body.${at}.incidentTrackingIdentifier: letters, digits and . _ : / - only.`,
      );
    }
    const incidentId = idOf(inc);
    const updated = time(updatedOf(inc), `${at}.lastUpdateTimeStamp`) ?? messageAt;
    const typeText = first(inc.incidentTypeCommonRegistryText);
    const typeCode = first(inc.incidentTypeLocalRegistryText) ?? typeText;

    const locRef = refId(many(inc.locationReference)[0]);
    const locIndex = locRef ? locations.findIndex((l) => idOf(l) === locRef) : 0;
    const loc = locIndex >= 0 ? locations[locIndex] : undefined;
    let location: IncidentUpsert['location'];
    if (loc) {
      const field = `locationComponent[${locIndex}].locationByValue`;
      const pidf = loc.locationByValue ? parsePidfLo(loc.locationByValue, field) : null;
      const address =
        pidf?.address ?? loc.locationAddressText?.trim() ?? loc.civicAddressText?.trim() ?? null;
      location = {
        address: address || null,
        position: pidf?.position ?? null,
        radiusM: pidf?.radiusM ?? null,
      };
    }

    const narrative: NarrativeInput[] = notes.flatMap((n, j) => {
      if (!belongs(n.incidentReference, incidentId, i)) return [];
      const text = [...many(n.noteText), ...many(n.notesActionComments)].join('\n').trim();
      if (!text) return [];
      const when =
        time(n.noteDateTimeStamp, `notesComponent[${j}].noteDateTimeStamp`) ??
        time(updatedOf(n), `notesComponent[${j}].lastUpdateTimeStamp`) ??
        updated;
      if (!when) {
        throw new HttpError(400, `Invalid body.notesComponent[${j}]: a note needs its time.`);
      }
      const key = idOf(n);
      return [
        {
          ...(key ? { key: `eido:${key}` } : {}),
          at: when,
          author: refId(n.authorReference)?.slice(0, 100) ?? 'CAD',
          text: text.slice(0, 4000),
        },
      ];
    });

    const units: IncidentUnit[] = dispatches.flatMap((d) => {
      if (!belongs(d.incidentReference, incidentId, i)) return [];
      const id = (d.unitIdentifier ?? idOf(d))?.trim().slice(0, 32);
      if (!id) return [];
      return [{ id, status: d.unitStatusCommonRegistryText?.trim() || 'dispatched' }];
    });

    const status = statusOf(first(inc.incidentStatusCommonRegistryText));
    const receivedAt =
      time(inc.incidentCreationTimeStamp, `${at}.incidentCreationTimeStamp`) ?? callStart;
    const code = typeCode ?? typeText;
    return {
      number,
      ...(code
        ? { callType: { code: code.slice(0, 32), text: (typeText ?? code).slice(0, 200) } }
        : {}),
      ...(inc.incidentPriority !== undefined
        ? { priority: priorityOf(inc.incidentPriority, `${at}.incidentPriority`) }
        : {}),
      ...(status ? { status } : {}),
      ...(location ? { location } : {}),
      ...(receivedAt ? { receivedAt } : {}),
      ...(dispatches.length > 0 ? { units } : {}),
      ...(updated ? { sourceUpdatedAt: updated } : {}),
      narrative,
    };
  });
  return { messageId: m.eidoMessageIdentifier ?? m.$id, upserts };
}
