import type { Camera } from './cameraStore';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Cameras in name order ("Bank 4" before "Bank 10"), for the list and its search. */
export function sortByName(cameras: Iterable<Camera>): Camera[] {
  return [...cameras].sort((a, b) => collator.compare(a.name, b.name));
}

/** How well a camera matched: lower is better; the list shows the best kinds first. */
export const MATCH_RANKS = ['exact', 'prefix', 'name', 'address', 'partial'] as const;
export type MatchRank = (typeof MATCH_RANKS)[number];

/** One camera, its name and address cut into lower-case words once, for every key press. */
export interface SearchEntry {
  readonly camera: Camera;
  readonly name: string;
  readonly nameWords: readonly string[];
  readonly addressWords: readonly string[];
  readonly hay: string;
}

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The search index over cameras in name order (sortByName); rebuilt when the cameras change. */
export function searchIndex(sorted: readonly Camera[]): SearchEntry[] {
  return sorted.map((camera) => {
    const name = normalise(camera.name);
    const address = camera.address ? normalise(camera.address) : '';
    return {
      camera,
      name,
      nameWords: wordsOf(name),
      addressWords: wordsOf(address),
      hay: address ? `${name} ${address}` : name,
    };
  });
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

const startsAnyWord = (words: readonly string[], word: string) =>
  words.some((w) => w.startsWith(word));

/**
 * How `entry` matches the typed words, or null. Every word must match; the rank is the weakest
 * way one of them matched: the whole name as typed, the name starting with it, every word starting
 * a word of the name (or a keyword the camera fits), of the name or address, or anywhere inside
 * them ("30" inside "1300", last).
 */
function rankOf(
  entry: SearchEntry,
  query: string,
  words: readonly string[],
  keywords: SearchKeywords,
): MatchRank | null {
  if (entry.name === query) return 'exact';
  let rank: MatchRank = 'name';
  for (const word of words) {
    const keyword = keywords[word];
    if (keyword?.(entry.camera)) continue;
    if (startsAnyWord(entry.nameWords, word)) continue;
    if (startsAnyWord(entry.addressWords, word)) {
      if (rank === 'name') rank = 'address';
      continue;
    }
    if (entry.hay.includes(word)) {
      rank = 'partial';
      continue;
    }
    return null;
  }
  if (rank === 'name' && query.length > 0 && entry.name.startsWith(query)) return 'prefix';
  return rank;
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
