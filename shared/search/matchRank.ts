/**
 * How well a record matched what was typed, shared by every search the analyst types into: the
 * console's camera search and the agency's address points (docs/console.md, "Search";
 * docs/address-points.md). Lower is better: the whole name as typed, the name starting with it,
 * every word starting a word of the name, the same over the secondary text (a camera's address),
 * then text found inside a word ("30" inside "1300").
 */
export const MATCH_RANKS = ['exact', 'prefix', 'name', 'address', 'partial'] as const;
export type MatchRank = (typeof MATCH_RANKS)[number];

/** Lower case with single spaces: the form names are compared in. */
export const normaliseText = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Lower-case words: letters and digits, split at everything else. */
export const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** A record's text cut into words once, for every key press. */
export interface MatchText {
  /** The name, normalised (normaliseText). */
  readonly name: string;
  readonly nameWords: readonly string[];
  /** The secondary text's words (a camera's address). */
  readonly otherWords: readonly string[];
  /** Everything searchable, normalised, for matches inside a word. */
  readonly hay: string;
}

export function matchText(name: string, other: string | null): MatchText {
  const n = normaliseText(name);
  const o = other ? normaliseText(other) : '';
  return { name: n, nameWords: wordsOf(n), otherWords: wordsOf(o), hay: o ? `${n} ${o}` : n };
}

const startsAnyWord = (words: readonly string[], word: string) =>
  words.some((w) => w.startsWith(word));

/**
 * How `text` matches the typed words, or null. `query` is the typed text normalised and `words`
 * its words. Every word must match; the rank is the weakest way one of them did. `keyword(word)`
 * lets a word match by what the record is rather than what it says (a camera of kind "agency").
 */
export function rankMatch(
  text: MatchText,
  query: string,
  words: readonly string[],
  keyword?: (word: string) => boolean,
): MatchRank | null {
  if (text.name === query) return 'exact';
  let rank: MatchRank = 'name';
  for (const word of words) {
    if (keyword?.(word)) continue;
    if (startsAnyWord(text.nameWords, word)) continue;
    if (startsAnyWord(text.otherWords, word)) {
      if (rank === 'name') rank = 'address';
      continue;
    }
    if (text.hay.includes(word)) {
      rank = 'partial';
      continue;
    }
    return null;
  }
  if (rank === 'name' && query.length > 0 && text.name.startsWith(query)) return 'prefix';
  return rank;
}
