import type { AgencyConfig } from '../domain/agency';
import { distanceToPolygonMeters, withinPolygonBuffer } from '../geo';

/**
 * Whether a record's position is outside the agency's jurisdiction and its buffer: such records
 * (a CAD call, a sensor alert) are kept and marked outside, never announced. One buffer for every
 * kind of record, set in the agency's incident policy.
 */
export function outsideJurisdiction(
  agency: Pick<AgencyConfig, 'jurisdiction' | 'incidents'>,
  position: { readonly lat: number; readonly lon: number },
): boolean {
  return !withinPolygonBuffer(
    { lat: position.lat, lng: position.lon },
    agency.jurisdiction,
    agency.incidents.jurisdictionBufferM,
  );
}

/** Metres from a position to the jurisdiction (0 inside it). */
export function distanceToJurisdictionMeters(
  agency: Pick<AgencyConfig, 'jurisdiction'>,
  position: { readonly lat: number; readonly lon: number },
): number {
  return distanceToPolygonMeters({ lat: position.lat, lng: position.lon }, agency.jurisdiction);
}
