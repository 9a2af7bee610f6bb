import type { AgencyConfig } from '../../shared/domain/agency';
import type { StreetLayer } from '../../shared/api/addresses';
import { demoGeography } from '../demo/demoStreets';

/**
 * The agency's street layer, drawn by a map that has no tile server (docs/address-points.md,
 * "The map's streets"): the console's map and the portal's map pin draw the same one. Only the
 * demo has a layer of its own (synthetic); another site has none yet (null).
 */
export function streetLayerOf(agency: AgencyConfig): StreetLayer | null {
  return agency.demo ? demoGeography(agency).layer : null;
}

/** The layer's streets as a GeoJSON FeatureCollection of lines, for the portal's map. */
export interface StreetsGeoJson {
  readonly type: 'FeatureCollection';
  /** Where the streets come from, shown in the map's corner (a foreign member, as GeoJSON allows). */
  readonly attribution: string;
  readonly features: readonly {
    readonly type: 'Feature';
    readonly properties: { readonly name: string | null; readonly class: string };
    readonly geometry: { readonly type: 'LineString'; readonly coordinates: readonly number[][] };
  }[];
}

export function streetsGeoJson(layer: StreetLayer): StreetsGeoJson {
  return {
    type: 'FeatureCollection',
    attribution: layer.attribution,
    features: layer.streets.map((s) => ({
      type: 'Feature',
      properties: { name: s.name, class: s.class },
      geometry: { type: 'LineString', coordinates: s.line },
    })),
  };
}
