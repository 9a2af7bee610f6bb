import type { Camera } from './cameraStore';
import {
  MATCH_RANKS,
  matchText,
  normaliseText as normalise,
  rankMatch,
  wordsOf,
  type MatchRank,
  type MatchText,
} from '../../shared/search/matchRank';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Cameras in name order ("Bank 4" before "Bank 10"), for the list and its search. */
export function sortByName(cameras: Iterable<Camera>): Camera[] {
  return [...cameras].sort((a, b) => collator.compare(a.name, b.name));
}

/** How well a camera matched (shared/search/matchRank.ts): the list shows the best kinds first. */
export { MATCH_RANKS, type MatchRank };

/** One camera, its name and address cut into lower-case words once, for every key press. */
export interface SearchEntry extends MatchText {
  readonly camera: Camera;
}

/** The search index over cameras in name order (sortByName); rebuilt when the cameras change. */
export function searchIndex(sorted: readonly Camera[]): SearchEntry[] {
  return sorted.map((camera) => ({ camera, ...matchText(camera.name, camera.address) }));
}

/**
 * Words that say what kind of camera, or in what state, rather than what it is called: "agency
 * bank" finds the agency's bank cameras. A camera matches such a word by being so, or by having
 * it in its name or address like any other word.
 */
export type SearchKeywords = Readonly<Record<string, (camera: Camera) => boolean>>;

export const KIND_KEYWORDS: SearchKeywords = {
  agency: (c) => c.kind === 'agency',
  integrated: (c) => c.kind === 'integrated',
  registered: (c) => c.kind === 'registered',
  ptz: (c) => c.ptz,
  alarm: (c) => c.alarmActive,
};

/** How `entry` matches the typed words, or null (rankMatch, with the kind and state words). */
function rankOf(
  entry: SearchEntry,
  query: string,
  words: readonly string[],
  keywords: SearchKeywords,
): MatchRank | null {
  return rankMatch(entry, query, words, (word) => keywords[word]?.(entry.camera) === true);
}

export interface SearchResult {
  readonly items: Camera[];
  /** The rank of each item, in the same order. */
  readonly ranks: MatchRank[];
  readonly total: number;
}

/**
 * Cameras that match every word typed, case-blind, best first (exact name, name prefix, name
 * words, address words, inside a word) and by name within each; at most `limit`. `index` is in
 * name order (searchIndex over sortByName), so the scan keeps that order and never sorts 100,000
 * cameras per key press.
 */
export function searchCameras(
  index: readonly SearchEntry[],
  typed: string,
  limit: number,
  keywords: SearchKeywords = KIND_KEYWORDS,
): SearchResult {
  const query = normalise(typed);
  const words = wordsOf(query);
  const buckets: Camera[][] = MATCH_RANKS.map(() => []);
  let total = 0;
  for (const entry of index) {
    const rank = words.length === 0 ? 'name' : rankOf(entry, query, words, keywords);
    if (rank === null) continue;
    total++;
    const bucket = buckets[MATCH_RANKS.indexOf(rank)]!;
    if (bucket.length < limit) bucket.push(entry.camera);
  }
  const items: Camera[] = [];
  const ranks: MatchRank[] = [];
  buckets.forEach((bucket, i) => {
    for (const camera of bucket) {
      if (items.length === limit) return;
      items.push(camera);
      ranks.push(MATCH_RANKS[i]!);
    }
  });
  return { items, ranks, total };
}
