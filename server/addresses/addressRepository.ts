import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/store';
import type { AddressKind, AddressPoint } from '../../shared/api/addresses';
import { normaliseText } from '../../shared/search/matchRank';

/** An address point as an import or the demo gives it. */
export interface NewAddressPoint {
  readonly address: string;
  readonly place: string | null;
  readonly kind: AddressKind;
  readonly lat: number;
  readonly lng: number;
}

interface Row {
  id: string;
  address: string;
  place: string | null;
  kind: AddressKind;
  lat: number;
  lng: number;
}

const toPoint = (r: Row): AddressPoint => ({
  id: r.id,
  address: r.address,
  place: r.place,
  kind: r.kind,
  lat: Number(r.lat),
  lng: Number(r.lng),
});

/** One point per address: the key an import matches rows on. */
export const matchKeyOf = (p: Pick<NewAddressPoint, 'address'>) => normaliseText(p.address);
const searchTextOf = (p: NewAddressPoint) =>
  normaliseText(p.place && p.place !== p.address ? `${p.place} ${p.address}` : p.address);

/** The stored points with these keys, by key. */
export async function findByKeys(
  db: Queryable,
  keys: readonly string[],
): Promise<Map<string, AddressPoint>> {
  const out = new Map<string, AddressPoint>();
  const CHUNK = 5_000;
  for (let i = 0; i < keys.length; i += CHUNK) {
    const res = await db.query<Row & { match_key: string }>(
      'select id, address, place, kind, lat, lng, match_key from address_points where match_key = any($1::text[])',
      [keys.slice(i, i + CHUNK)],
    );
    for (const r of res.rows) out.set(r.match_key, toPoint(r));
  }
  return out;
}

/** Inserts new points and rewrites changed ones, matched on their address's key. */
export async function upsertAddressPoints(
  db: Queryable,
  at: Date,
  points: readonly NewAddressPoint[],
): Promise<void> {
  const CHUNK = 2_000;
  for (let i = 0; i < points.length; i += CHUNK) {
    const chunk = points.slice(i, i + CHUNK);
    await db.query(
      `insert into address_points
         (id, address, match_key, search_text, place, kind, lat, lng, created_at, updated_at)
       select u.*, $9::timestamptz, $9::timestamptz
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::float8[], $8::float8[]) as u
       on conflict (match_key) do update set
         address = excluded.address, search_text = excluded.search_text, place = excluded.place,
         kind = excluded.kind, lat = excluded.lat, lng = excluded.lng, updated_at = excluded.updated_at`,
      [
        chunk.map(() => randomUUID()),
        chunk.map((p) => p.address),
        chunk.map(matchKeyOf),
        chunk.map(searchTextOf),
        chunk.map((p) => p.place),
        chunk.map((p) => p.kind),
        chunk.map((p) => p.lat),
        chunk.map((p) => p.lng),
        at.toISOString(),
      ],
    );
  }
}

/** `like` with the typed text taken literally. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Candidates for a search: points whose text holds every typed word, those starting with the
 * typed text first. The caller ranks them (shared/search/matchRank.ts); `scan` bounds the work a
 * common word ("st") can cause.
 */
export async function searchCandidates(
  db: Queryable,
  query: string,
  words: readonly string[],
  scan: number,
): Promise<AddressPoint[]> {
  if (words.length === 0) return [];
  const conditions = words.map((_, i) => `search_text like $${i + 3} escape '\\'`);
  const res = await db.query<Row>(
    `select id, address, place, kind, lat, lng from address_points
     where ${conditions.join(' and ')}
     order by (search_text like $1 escape '\\') desc, search_text
     limit $2`,
    [`${literal(query)}%`, scan, ...words.map((w) => `%${literal(w)}%`)],
  );
  return res.rows.map(toPoint);
}

export async function countAddressPoints(db: Queryable): Promise<number> {
  const res = await db.query<{ n: number }>('select count(*)::int as n from address_points');
  return Number(res.rows[0]!.n);
}

/** Whether the agency has any address point at all (an address can be checked against them). */
export async function hasAddressPoints(db: Queryable): Promise<boolean> {
  const res = await db.query('select 1 from address_points limit 1');
  return res.rows.length > 0;
}
