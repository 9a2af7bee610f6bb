import { XMLParser } from 'fast-xml-parser';
import { HttpError } from './errorHandler';

/**
 * XML from outside (PIDF-LO in an EIDO, a CAP alert) is parsed with entity expansion off, and a
 * document that declares a DOCTYPE or an entity is refused outright: no external entity is
 * fetched and no "billion laughs" expansion can happen, whatever the parser would have done.
 * Only XML's five predefined entities and character references are decoded, in text.
 */

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** The parsed document, or a 400 naming the field and what is wrong. */
export function parseUntrustedXml(xml: string, field: string, needs: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new HttpError(
      400,
      `Invalid ${field}: a DOCTYPE or entity declaration is refused (${needs} needs neither).`,
      [{ path: field, message: 'a DOCTYPE or entity declaration is refused' }],
    );
  }
  try {
    return parser.parse(xml, true);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : 'not well-formed';
    throw new HttpError(400, `Invalid ${field}: not well-formed XML (${why}).`, [
      { path: field, message: 'not well-formed XML' },
    ]);
  }
}

const PREDEFINED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

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

/** An element's text, decoded and trimmed; null when empty or not text. */
export function xmlText(v: unknown): string | null {
  if (typeof v === 'string') return decodeText(v).trim() || null;
  if (v && typeof v === 'object' && '#text' in v) return xmlText((v as XmlNode)['#text']);
  return null;
}

/** The first element by this local name, depth first. */
export function findElement(node: unknown, name: string, depth = 0): unknown {
  if (depth > 32 || node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = findElement(n, name, depth + 1);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  const obj = node as XmlNode;
  if (name in obj) return Array.isArray(obj[name]) ? (obj[name] as unknown[])[0] : obj[name];
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@')) continue;
    const hit = findElement(v, name, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Every child element of this name directly under a node (XML repeats, the parser may not). */
export function childElements(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  const v = (node as XmlNode)[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
