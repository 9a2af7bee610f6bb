import type { Queryable } from '../store/store';
import { addressPointNamed } from '../addresses/addressSearch';
import { hasAddressPoints } from '../addresses/addressRepository';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { LocationCheck } from '../../shared/domain/onlineReports';
import { pointInPolygon } from '../../shared/geo';

/**
 * Where an online report happened, as it is kept (docs/online-reports.md, "Where"). A latitude
 * and longitude must fall inside the jurisdiction polygon (without the incidents' buffer). An
 * address alone is placed by the agency's address point it names, and that position must fall
 * inside too. An address that names none is sent back while the agency has address points to
 * choose from; an agency without any takes it as it is, marked unverified for the reviewer.
 */

/** The place a report keeps: a checked position, or an address no one has placed. */
export type ReportLocation =
  | {
      readonly lat: number;
      readonly lng: number;
      readonly check: Exclude<LocationCheck, 'unverified'>;
    }
  | { readonly lat: null; readonly lng: null; readonly check: 'unverified' };

/** Why a place cannot be taken: outside the city limits (by either way of giving it), or unknown. */
export type LocationRefusal = 'outside_coordinates' | 'outside_address' | 'unknown_address';

export type Located =
  | { readonly ok: true; readonly location: ReportLocation }
  | { readonly ok: false; readonly refusal: LocationRefusal };

/** What the reporter gave: a latitude and longitude, an address, or both. */
export interface ReportPlace {
  readonly lat?: number | undefined;
  readonly lng?: number | undefined;
  readonly address?: string | undefined;
}

export async function locateReport(
  db: Queryable,
  agency: AgencyConfig,
  place: ReportPlace,
): Promise<Located> {
  const inside = (lat: number, lng: number) => pointInPolygon({ lat, lng }, agency.jurisdiction);
  if (place.lat !== undefined && place.lng !== undefined) {
    return inside(place.lat, place.lng)
      ? { ok: true, location: { lat: place.lat, lng: place.lng, check: 'coordinates' } }
      : { ok: false, refusal: 'outside_coordinates' };
  }
  const address = place.address?.trim() ?? '';
  if (address === '') throw new Error('a report is placed by its position or its address');
  const point = await addressPointNamed(db, address);
  if (point) {
    return inside(point.lat, point.lng)
      ? { ok: true, location: { lat: point.lat, lng: point.lng, check: 'address_point' } }
      : { ok: false, refusal: 'outside_address' };
  }
  if (await hasAddressPoints(db)) return { ok: false, refusal: 'unknown_address' };
  return { ok: true, location: { lat: null, lng: null, check: 'unverified' } };
}
