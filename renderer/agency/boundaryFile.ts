import { JurisdictionSchema, type Jurisdiction } from '../../shared/domain/agency';

/**
 * A boundary from an uploaded or pasted GeoJSON document (RFC 7946: longitude, latitude): a
 * Polygon or MultiPolygon geometry, a Feature holding one, or a FeatureCollection whose one
 * feature holds one. Anything else is refused with a sentence the administrator can act on.
 */
export type BoundaryResult =
  | { readonly ok: true; readonly geometry: Jurisdiction }
  | { readonly ok: false; readonly message: string };

/** Official boundaries run to many thousands of positions; beyond this it is not a boundary. */
export const MAX_BOUNDARY_CHARS = 4_000_000;

function geometryOf(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { type?: unknown; geometry?: unknown; features?: unknown };
  if (d.type === 'Feature') return d.geometry ?? null;
  if (d.type === 'FeatureCollection') {
    if (!Array.isArray(d.features)) return null;
    const polygons = d.features.filter((f: unknown) => {
      const g = (f as { geometry?: { type?: unknown } } | null)?.geometry;
      return g?.type === 'Polygon' || g?.type === 'MultiPolygon';
    });
    if (polygons.length !== 1) {
      throw new Error(
        `The collection has ${polygons.length} polygons; give the one boundary (a single Polygon or MultiPolygon feature).`,
      );
    }
    return (polygons[0] as { geometry: unknown }).geometry;
  }
  return doc;
}

function ringsOf(g: Jurisdiction): [number, number][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export function parseBoundary(text: string): BoundaryResult {
  if (text.length > MAX_BOUNDARY_CHARS) {
    return { ok: false, message: 'The file is too large for a boundary (at most about 4 MB).' };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return {
      ok: false,
      message: 'This is not JSON: give a GeoJSON Polygon, MultiPolygon or Feature.',
    };
  }
  let geometry: unknown;
  try {
    geometry = geometryOf(doc);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const type = (geometry as { type?: unknown } | null)?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return {
      ok: false,
      message: `A boundary is a Polygon or MultiPolygon; this is ${typeof type === 'string' ? `a ${type}` : 'no geometry'}.`,
    };
  }
  const parsed = JurisdictionSchema.safeParse({
    type,
    coordinates: (geometry as { coordinates?: unknown }).coordinates,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      message: `The ${type} is not valid at coordinates.${issue.path.slice(1).join('.')}: ${issue.message} (positions are [longitude, latitude]).`,
    };
  }
  for (const ring of ringsOf(parsed.data)) {
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return {
        ok: false,
        message: 'A ring is not closed: its last position must repeat its first.',
      };
    }
  }
  return { ok: true, geometry: parsed.data };
}

/** The south-west and north-east corners of a geometry, as Leaflet takes them. */
export function boundsOf(g: Jurisdiction): [[number, number], [number, number]] | null {
  const points = ringsOf(g).flat();
  if (points.length === 0) return null;
  const lats = points.map((p) => p[1]);
  const lngs = points.map((p) => p[0]);
  return [
    [Math.min(...lats), Math.min(...lngs)],
    [Math.max(...lats), Math.max(...lngs)],
  ];
}
