import type { Queryable } from '../store/store';
import type { AddressMatch } from '../../shared/api/addresses';
import {
  MATCH_RANKS,
  matchText,
  normaliseText,
  rankMatch,
  wordsOf,
} from '../../shared/search/matchRank';
import { searchCandidates } from './addressRepository';

/** Candidates read per search: enough for every rank of a typical query, bounded for "st". */
const SCAN = 2_000;
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * The address points and places that match every typed word, ranked as the camera search ranks
 * (shared/search/matchRank.ts): a place's name is its name, its address the secondary text; an
 * address point's name is its address. Best first, then as a person reads them ("200 block"
 * before "1000 block").
 */
export async function searchAddresses(
  db: Queryable,
  typed: string,
  limit: number,
): Promise<AddressMatch[]> {
  const query = normaliseText(typed);
  const words = wordsOf(query);
  const found = await searchCandidates(db, query, words, SCAN);
  const ranked: (AddressMatch & { order: number })[] = [];
  for (const p of found) {
    const text = matchText(
      p.place ?? p.address,
      p.place && p.place !== p.address ? p.address : null,
    );
    const rank = rankMatch(text, query, words);
    if (rank) ranked.push({ ...p, rank, order: MATCH_RANKS.indexOf(rank) });
  }
  ranked.sort(
    (a, b) => a.order - b.order || collator.compare(a.place ?? a.address, b.place ?? b.address),
  );
  return ranked.slice(0, limit).map(({ order: _order, ...m }) => m);
}
