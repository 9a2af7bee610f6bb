import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import type { FlagReview } from '../../shared/api/auditReview';
import { parseFlagKey } from '../../shared/domain/auditFlags';
import { parseIsoDate, startOfLocalDay } from '../../shared/time/zonedTime';
import { insertFlagReview } from './auditReviewRepository';
import { flagsBetween } from './auditFlagRun';
import { scopeCovers, type ReaderScope } from './auditScope';

const DAY_MS = 86_400_000;

/** The action a flag's review is audited under. */
export const FLAG_REVIEW_ACTION = 'audit.flag.review';

const NO_SUCH_FLAG = (key: string) =>
  new HttpError(
    404,
    `No flag "${key.slice(0, 120)}" is raised: it may have been computed from a range that has changed.`,
  );

/**
 * Marks a flag reviewed with the reviewer's note. The flag is computed again from the trail
 * (its key names its day), so only a flag that is raised can be reviewed, and only by a reader
 * who may see it; the review is stored and audited in one change.
 */
export async function reviewFlag(
  ctx: ServerContext,
  actor: Actor,
  scope: ReaderScope,
  key: string,
  note: string,
): Promise<FlagReview> {
  const parts = parseFlagKey(key);
  if (!parts) throw NO_SUCH_FLAG(key);
  const agency = await getAgency(ctx.store);
  let dayStart: number;
  try {
    dayStart = startOfLocalDay(parseIsoDate(parts.date), agency.timeZone);
  } catch {
    throw NO_SUCH_FLAG(key);
  }
  // The flag's day, with the night after it (a night shift is dated by the day it starts).
  const flag = (await flagsBetween(ctx.store, ctx.clock, dayStart, dayStart + 2 * DAY_MS)).find(
    (f) => f.key === key,
  );
  if (!flag || !scopeCovers(scope, Date.parse(flag.from), Date.parse(flag.to))) {
    throw NO_SUCH_FLAG(key);
  }
  const { value } = await ctx.record({
    apply: ({ tx, at }) =>
      insertFlagReview(tx, {
        key,
        kind: flag.kind,
        subjectId: flag.actorId,
        date: flag.date,
        explanation: flag.explanation,
        at,
        reviewerId: actor.id,
        reviewerName: actor.name,
        note,
      }),
    audit: auditBy(actor, {
      action: FLAG_REVIEW_ACTION,
      targetType: 'user',
      targetId: flag.actorId,
      outcome: 'success',
      details: { flag: key, kind: flag.kind, date: flag.date, explanation: flag.explanation, note },
    }),
    event: { type: 'audit.flag.reviewed', payload: { key, kind: flag.kind, byName: actor.name } },
  });
  return value;
}
