import type { Camera } from './cameraStore';

/**
 * Cameras whose name or address holds every word typed, in any order, case-blind; at most
 * `limit`, with names that start with the first word ahead.
 */
export function searchCameras(
  cameras: Iterable<Camera>,
  query: string,
  limit: number,
): { items: Camera[]; total: number } {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const starts: Camera[] = [];
  const rest: Camera[] = [];
  let total = 0;
  for (const c of cameras) {
    const name = c.name.toLowerCase();
    const hay = c.address ? `${name} ${c.address.toLowerCase()}` : name;
    if (!words.every((w) => hay.includes(w))) continue;
    total++;
    if (starts.length + rest.length >= limit * 2) continue;
    if (words.length > 0 && name.startsWith(words[0]!)) starts.push(c);
    else rest.push(c);
  }
  const byName = (a: Camera, b: Camera) => a.name.localeCompare(b.name);
  return { items: [...starts.sort(byName), ...rest.sort(byName)].slice(0, limit), total };
}
