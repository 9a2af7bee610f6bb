import type { Queryable } from '../store/store';
import type { AddressMatch, AddressPoint } from '../../shared/api/addresses';
import {
  MATCH_RANKS,
  matchText,
  normaliseText,
  rankMatch,
  wordsOf,
} from '../../shared/search/matchRank';
import { findByKeys, searchCandidates } from './addressRepository';

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

/** A point as the public sees it: a place with its address ("Courthouse Square, 100 N Main St"). */
export const publicLabelOf = (p: Pick<AddressPoint, 'address' | 'place'>): string =>
  p.place && p.place !== p.address ? `${p.place}, ${p.address}` : p.address;

/** The words of a text in order, punctuation and case aside: how two writings of one address compare. */
const sameWords = (a: string, b: string) => wordsOf(a).join(' ') === wordsOf(b).join(' ');

/**
 * The address point a typed address names, or null: its address, a place's name, or a place
 * with its address as the public search writes it (`publicLabelOf`), the same words in the same
 * order with case, spacing and punctuation aside. Not a search: "main st" names no point.
 */
export async function addressPointNamed(
  db: Queryable,
  typed: string,
): Promise<AddressPoint | null> {
  const query = normaliseText(typed);
  const words = wordsOf(query);
  if (words.length === 0) return null;
  const byKey = (await findByKeys(db, [query])).get(query);
  if (byKey) return byKey;
  const found = await searchCandidates(db, query, words, SCAN);
  return (
    found.find((p) => sameWords(p.address, typed)) ??
    found.find((p) => p.place !== null && sameWords(p.place, typed)) ??
    found.find((p) => sameWords(publicLabelOf(p), typed)) ??
    null
  );
}
