import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import { lastEventId } from './eventHub';

/**
 * A cursor beyond the newest event names an event that never existed here (a console that kept
 * its position from another database, or a typo). Accepting it would skip every id up to it in
 * silence, so the request is refused and told where the events end.
 */
export async function refuseCursorBeyondNewest(db: Queryable, after: number): Promise<void> {
  if (after === 0) return;
  const newest = await lastEventId(db);
  if (after > newest) {
    throw new HttpError(
      400,
      `after=${after} is beyond the newest event (${newest}): resume from an id you received, ` +
        `or from ${newest} to get only what comes next.`,
      [{ path: 'querystring.after', message: `must be at most ${newest}` }],
      'after_beyond_newest',
    );
  }
}
