import type { Camera } from './cameraStore';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Cameras in name order ("Bank 4" before "Bank 10"), for the list and its search. */
export function sortByName(cameras: Iterable<Camera>): Camera[] {
  return [...cameras].sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * Cameras whose name or address holds every word typed, in any order, case-blind; at most
 * `limit`, names that start with the first word ahead. `sorted` is in name order (sortByName),
 * so the scan keeps that order and never sorts 100,000 cameras per key press.
 */
export function searchCameras(
  sorted: readonly Camera[],
  query: string,
  limit: number,
): { items: Camera[]; total: number } {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const starts: Camera[] = [];
  const rest: Camera[] = [];
  let total = 0;
  for (const c of sorted) {
    const name = c.name.toLowerCase();
    const hay = c.address ? `${name} ${c.address.toLowerCase()}` : name;
    if (!words.every((w) => hay.includes(w))) continue;
    total++;
    if (words.length > 0 && name.startsWith(words[0]!)) {
      if (starts.length < limit) starts.push(c);
    } else if (rest.length < limit) rest.push(c);
  }
  return { items: [...starts, ...rest].slice(0, limit), total };
}
