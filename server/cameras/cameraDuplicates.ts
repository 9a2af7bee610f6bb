import type { Queryable } from '../store/store';
import type { CameraKind } from '../../shared/domain/cameras';
import { distanceMeters, type LatLng } from '../../shared/geo';

/** Two cameras of the same kind and name closer than this are the same camera entered twice. */
export const DUPLICATE_DISTANCE_M = 1;

export interface PlacedCamera {
  readonly kind: CameraKind;
  readonly name: string;
  readonly lat: number;
  readonly lng: number;
}

const keyOf = (c: PlacedCamera) => `${c.kind}\u0000${c.name.trim().toLowerCase()}`;

/** Cameras grouped by kind and name (case aside), to find a duplicate without a scan. */
export class DuplicateIndex {
  private readonly byKey = new Map<string, LatLng[]>();

  add(c: PlacedCamera): void {
    const key = keyOf(c);
    const places = this.byKey.get(key);
    if (places) places.push({ lat: c.lat, lng: c.lng });
    else this.byKey.set(key, [{ lat: c.lat, lng: c.lng }]);
  }

  has(c: PlacedCamera): boolean {
    const places = this.byKey.get(keyOf(c));
    return !!places && places.some((p) => distanceMeters(p, c) < DUPLICATE_DISTANCE_M);
  }
}

/** An index of the active cameras that share a name with any of the candidates. */
export async function loadDuplicateIndex(
  db: Queryable,
  candidates: readonly PlacedCamera[],
): Promise<DuplicateIndex> {
  const index = new DuplicateIndex();
  const names = [...new Set(candidates.map((c) => c.name.trim().toLowerCase()))];
  if (names.length === 0) return index;
  const res = await db.query<PlacedCamera>(
    `select kind, name, lat, lng from cameras
     where status = 'active' and lower(name) = any(array(select lower(n) from unnest($1::text[]) n))`,
    [names],
  );
  for (const row of res.rows) index.add(row);
  return index;
}

export function duplicateReason(c: PlacedCamera): string {
  const article = c.kind === 'registered' ? 'a' : 'an';
  return `duplicate: ${article} ${c.kind} camera named "${c.name}" is already registered within ${DUPLICATE_DISTANCE_M} m of ${c.lat},${c.lng}`;
}
