import type { PullCandidate } from '../../shared/domain/pulls';

/** What can be done, at a glance: green to fetch now, blue for the agency's, amber to contact. */
const ACTION_COLOUR = {
  fetch_now: '#3ddc84',
  agency: '#4da3ff',
  contact_owner: '#ffb347',
} as const;
/** A candidate already settled (footage, none, declined, not relevant) fades to grey. */
const SETTLED = '#8a8f98';

export function candidateColour(c: Pick<PullCandidate, 'action' | 'outcome'>): string {
  return c.outcome === 'not_contacted' || c.outcome === 'contacted'
    ? ACTION_COLOUR[c.action]
    : SETTLED;
}
