import { z } from 'zod';

/**
 * Rules of camera administration that the server and the console share (docs/cameras-admin.md).
 * Pure: no I/O.
 */

/**
 * Who keeps an integrated camera's sharing policy: the agency, entering what the owner agreed to
 * (the console edits it), or the owner themselves (the console shows it read-only).
 */
export const PolicyKeeperSchema = z.enum(['agency', 'owner']);
export type PolicyKeeper = z.infer<typeof PolicyKeeperSchema>;

/** Query parameters whose values are secrets: masked wherever a source URL is shown or stored plain. */
const SECRET_QUERY_RE =
  /([?&](?:pass|password|passwd|pwd|token|access_token|auth|authorization|api_?key|apikey|key|secret|sig|signature|credentials?)=)[^&#]*/gi;
// Up to the last @ before the path, as URL parsers read it: a password may hold an unescaped @.
const USERINFO_RE = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** The mask put in place of a secret query value. */
export const REDACTED = 'REDACTED';

/**
 * A source URL with its secret parts taken out: the user:password@ before the host, and the value
 * of any query parameter named like a key or token. Works on text, not a parsed URL, so that a
 * recordings template's `{start}` placeholders stay as they were written.
 */
export function redactSourceUrl(url: string): string {
  return url.replace(USERINFO_RE, '$1').replace(SECRET_QUERY_RE, `$1${REDACTED}`);
}

/** Two registry entries closer than this, with owners alike, are flagged as possible duplicates. */
export const DUPLICATE_FLAG_DISTANCE_M = 30;

/** An owner's name reduced to its words: case, punctuation and business suffixes aside. */
export function ownerWords(name: string): string[] {
  const SUFFIXES = new Set(['inc', 'llc', 'co', 'corp', 'ltd', 'the', 'and', 'of']);
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !SUFFIXES.has(w));
}

/**
 * Whether two owners' names are alike enough that two entries at nearly one place are likely the
 * same camera entered twice: half or more of the words of the shorter name appear in the other.
 */
export function ownersAlike(a: string, b: string): boolean {
  const wa = new Set(ownerWords(a));
  const wb = new Set(ownerWords(b));
  if (wa.size === 0 || wb.size === 0) return false;
  const [small, large] = wa.size <= wb.size ? [wa, wb] : [wb, wa];
  let common = 0;
  for (const w of small) if (large.has(w)) common += 1;
  return common * 2 >= small.size;
}

function secretQueryValues(url: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const m of url.matchAll(SECRET_QUERY_RE)) {
    const [prefix] = [m[1]!];
    values.set(prefix.slice(1).toLowerCase(), m[0].slice(prefix.length));
  }
  return values;
}

/**
 * A new address typed over a redacted one: each secret query value still reading REDACTED takes
 * the value the old address had under the same name, so an admin can move a source without
 * retyping a token they were never shown.
 */
export function restoreRedactedQuery(url: string, previous: string): string {
  const old = secretQueryValues(previous);
  return url.replace(SECRET_QUERY_RE, (whole: string, prefix: string) => {
    const value = whole.slice(prefix.length);
    const kept = old.get(prefix.slice(1).toLowerCase());
    return value === REDACTED && kept !== undefined ? `${prefix}${kept}` : whole;
  });
}

/** The user and password written into a URL (user:password@host), decoded; empty when none. */
export function urlUserinfo(url: string): { username: string; password: string } {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url);
  if (!m) return { username: '', password: '' };
  const [user = '', ...pass] = m[1]!.split(':');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { username: decode(user), password: decode(pass.join(':')) };
}
