import { XMLParser } from 'fast-xml-parser';
import { HttpError } from '../http/errorHandler';
import type { IncidentPosition } from '../../shared/domain/incidents';

/**
 * Reads the location out of a PIDF-LO document (RFC 4119, RFC 5491: a GML Point or Circle in
 * WGS 84, latitude first; RFC 5139 civic address), as EIDO's location component carries it.
 *
 * XML from outside is parsed with entity expansion off, and a document that declares a DOCTYPE
 * or an entity is refused outright: no external entity is fetched and no "billion laughs"
 * expansion can happen, whatever the parser would have done.
 */

export interface PidfLocation {
  readonly position: IncidentPosition | null;
  readonly radiusM: number | null;
  readonly address: string | null;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

const PREDEFINED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** XML's five predefined entities and character references; nothing a document could define. */
function decodeText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (m, name: string) => {
    if (name.startsWith('#x')) return safeChar(parseInt(name.slice(2), 16)) ?? m;
    if (name.startsWith('#')) return safeChar(parseInt(name.slice(1), 10)) ?? m;
    return PREDEFINED[name] ?? m;
  });
}

function safeChar(code: number): string | null {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

type Node = Record<string, unknown>;

function text(v: unknown): string | null {
  if (typeof v === 'string') return decodeText(v).trim() || null;
  if (v && typeof v === 'object' && '#text' in v) return text((v as Node)['#text']);
  return null;
}

/** The first element by this local name, depth first. */
function find(node: unknown, name: string, depth = 0): unknown {
  if (depth > 32 || node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = find(n, name, depth + 1);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  const obj = node as Node;
  if (name in obj) return Array.isArray(obj[name]) ? (obj[name] as unknown[])[0] : obj[name];
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@')) continue;
    const hit = find(v, name, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

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
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new HttpError(
      400,
      `Invalid ${field}: a DOCTYPE or entity declaration is refused (PIDF-LO needs neither).`,
    );
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : 'not well-formed';
    throw new HttpError(400, `Invalid ${field}: not well-formed XML (${why}).`);
  }
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
