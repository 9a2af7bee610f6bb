import { HttpError } from '../http/errorHandler';
import { findElement, parseUntrustedXml, xmlText, type XmlNode } from '../http/untrustedXml';
import type { IncidentPosition } from '../../shared/domain/incidents';

/**
 * Reads the location out of a PIDF-LO document (RFC 4119, RFC 5491: a GML Point or Circle in
 * WGS 84, latitude first; RFC 5139 civic address), as EIDO's location component carries it.
 * The XML is parsed as untrusted (server/http/untrustedXml.ts): no DOCTYPE, no entities.
 */

export interface PidfLocation {
  readonly position: IncidentPosition | null;
  readonly radiusM: number | null;
  readonly address: string | null;
}

type Node = XmlNode;
const text = xmlText;
const find = (node: unknown, name: string): unknown => findElement(node, name);

function positionOf(shape: unknown, field: string): IncidentPosition {
  const pos = text(find(shape, 'pos'));
  const parts = pos?.split(/\s+/).map(Number) ?? [];
  const [lat, lon] = parts;
  if (
    parts.length < 2 ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lon) ||
    Math.abs(lat!) > 90 ||
    Math.abs(lon!) > 180
  ) {
    throw new HttpError(400, `Invalid ${field}: gml:pos must be "latitude longitude" in degrees.`);
  }
  return { lat: lat!, lon: lon! };
}

/** RFC 5139 civic address elements, in the order a US address is written. */
const CIVIC_ORDER = ['HNO', 'HNS', 'PRD', 'RD', 'STS', 'POD', 'LOC', 'A3', 'A1', 'PC'];

function civicText(civic: unknown): string | null {
  if (!civic || typeof civic !== 'object') return null;
  const parts = CIVIC_ORDER.map((k) => text((civic as Node)[k])).filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' ') : null;
}

export function parsePidfLo(xml: string, field: string): PidfLocation {
  const doc = parseUntrustedXml(xml, field, 'PIDF-LO');
  const circle = find(doc, 'Circle');
  const point = circle === undefined ? find(doc, 'Point') : undefined;
  let position: IncidentPosition | null = null;
  let radiusM: number | null = null;
  if (circle !== undefined) {
    position = positionOf(circle, field);
    const radius = find(circle, 'radius');
    const r = Number(text(radius));
    const uom = radius && typeof radius === 'object' ? String((radius as Node)['@uom'] ?? '') : '';
    // EPSG 9001 is the metre; a radius in another unit is not guessed at.
    if (Number.isFinite(r) && r >= 0 && (uom === '' || uom.endsWith('9001'))) radiusM = r;
  } else if (point !== undefined) {
    position = positionOf(point, field);
  }
  const address = civicText(find(doc, 'civicAddress')) ?? text(find(doc, 'civicAddressText'));
  return { position, radiusM, address };
}
