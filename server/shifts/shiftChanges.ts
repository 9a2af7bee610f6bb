import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { NewShiftEntry } from '../../shared/api/shifts';
import type { ShiftEntry, ShiftEntryKind, ShiftLog } from '../../shared/domain/shifts';
import { countShiftWork, insertEntry, lockShiftLog, markSignedOff } from './shiftRepository';
import { readShiftLog, resolveShift, type ResolvedShift } from './shiftLog';

/**
 * The shift log's changes. Until the supervisor signs a shift off, entries are added to it;
 * sign-off locks it with the summary as it then stood, and anything later is an addendum.
 */

const target = (s: ResolvedShift) => `${s.key.date} ${s.key.name}`;

function notStarted(s: ResolvedShift, now: Date): void {
  if (now.getTime() < s.instance.startsAt) {
    throw new HttpError(
      409,
      `The ${target(s)} shift starts at ${new Date(s.instance.startsAt).toISOString()}: nothing can be logged before it starts.`,
    );
  }
}

/** When an entry happened: as given (within the shift, not in the future), else now. */
function entryTime(s: ResolvedShift, given: string | undefined, now: Date): Date {
  const { startsAt, endsAt } = s.instance;
  if (given === undefined) {
    // Written after the shift ended but before sign-off: it belongs to the shift's last moment.
    return new Date(Math.min(now.getTime(), endsAt - 1000));
  }
  const at = new Date(given);
  const outside = at.getTime() < startsAt || at.getTime() >= endsAt;
  if (outside || at.getTime() > now.getTime()) {
    const why = outside
      ? `is outside the shift (${new Date(startsAt).toISOString()} to ${new Date(endsAt).toISOString()})`
      : 'is in the future';
    throw new HttpError(400, `Invalid body: at: ${given} ${why}.`, [
      { path: 'body.at', message: `the entry's time ${why}` },
    ]);
  }
  return at;
}

export async function addShiftEntry(
  ctx: ServerContext,
  actor: Actor,
  date: string,
  name: string,
  entry: NewShiftEntry,
): Promise<ShiftEntry> {
  const shift = await resolveShift(ctx.store, date, name);
  const now = new Date(ctx.clock.now());
  notStarted(shift, now);
  const at = entryTime(shift, entry.at, now);
  const { value } = await ctx.record({
    apply: async ({ tx, at: writtenAt }) => {
      const log = await lockShiftLog(tx, shift.key, windowOf(shift));
      if (log.signedOffAt !== null) {
        throw new HttpError(
          409,
          `The ${target(shift)} shift was signed off by ${log.signedOffByName} at ${log.signedOffAt}: add an addendum instead.`,
        );
      }
      return insertEntry(tx, shift.key, {
        id: randomUUID(),
        at,
        writtenAt,
        kind: entry.kind,
        text: entry.text,
        authorId: actor.id,
        authorName: actor.name,
        addendum: false,
      });
    },
    audit: (e) =>
      auditBy(actor, {
        action: 'shift.entry',
        targetType: 'shift',
        targetId: target(shift),
        outcome: 'success',
        details: { entryId: e.id, kind: e.kind, at: e.at },
      }),
    event: {
      type: 'shift.changed',
      payload: { ...payloadKey(shift), change: 'entry', byName: actor.name },
    },
  });
  return value;
}

export async function signOffShift(
  ctx: ServerContext,
  actor: Actor,
  date: string,
  name: string,
  note: string,
): Promise<ShiftLog> {
  const shift = await resolveShift(ctx.store, date, name);
  notStarted(shift, new Date(ctx.clock.now()));
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const log = await lockShiftLog(tx, shift.key, windowOf(shift));
      if (log.signedOffAt !== null) {
        throw new HttpError(
          409,
          `The ${target(shift)} shift was already signed off by ${log.signedOffByName} at ${log.signedOffAt}.`,
        );
      }
      const { startsAt, endsAt } = windowOf(shift);
      const summary = await countShiftWork(tx, startsAt, endsAt);
      await markSignedOff(tx, shift.key, { at, byId: actor.id, byName: actor.name, note, summary });
      return readShiftLog(tx, shift, at);
    },
    audit: (log) =>
      auditBy(actor, {
        action: 'shift.signoff',
        targetType: 'shift',
        targetId: target(shift),
        outcome: 'success',
        details: { summary: log.summary, entries: log.entries.length },
      }),
    event: {
      type: 'shift.changed',
      payload: { ...payloadKey(shift), change: 'signoff', byName: actor.name },
    },
  });
  return value;
}

export async function addShiftAddendum(
  ctx: ServerContext,
  actor: Actor,
  date: string,
  name: string,
  addendum: { readonly kind: ShiftEntryKind; readonly text: string },
): Promise<ShiftEntry> {
  const shift = await resolveShift(ctx.store, date, name);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const log = await lockShiftLog(tx, shift.key, windowOf(shift));
      if (log.signedOffAt === null) {
        throw new HttpError(
          409,
          `The ${target(shift)} shift is not signed off yet: add an entry instead of an addendum.`,
        );
      }
      return insertEntry(tx, shift.key, {
        id: randomUUID(),
        at,
        writtenAt: at,
        kind: addendum.kind,
        text: addendum.text,
        authorId: actor.id,
        authorName: actor.name,
        addendum: true,
      });
    },
    audit: (e) =>
      auditBy(actor, {
        action: 'shift.addendum',
        targetType: 'shift',
        targetId: target(shift),
        outcome: 'success',
        details: { entryId: e.id, kind: e.kind },
      }),
    event: {
      type: 'shift.changed',
      payload: { ...payloadKey(shift), change: 'addendum', byName: actor.name },
    },
  });
  return value;
}

const windowOf = (s: ResolvedShift) => ({
  startsAt: new Date(s.instance.startsAt),
  endsAt: new Date(s.instance.endsAt),
});

const payloadKey = (s: ResolvedShift) => ({ date: s.key.date, shift: s.key.name });
