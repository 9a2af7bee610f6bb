import type { MapTiles } from '../../../shared/api/console';

/**
 * The basemap's tile source from the host's settings (WF_MAP_TILES and friends): checked once at
 * start, handed to the renderer with the agency, and allowed as an image source in the CSP.
 */

const PLACEHOLDERS = new Set(['s', 'z', 'x', 'y', 'r']);

/** Why a template is not usable, or null when it is. */
export function mapTilesTemplateProblem(template: string): string | null {
  const names = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  const unknown = names.filter((n) => !PLACEHOLDERS.has(n));
  if (unknown.length > 0) return `unknown placeholder {${unknown[0]}}; use {z}, {x}, {y}, {s}, {r}`;
  for (const needed of ['z', 'x', 'y']) {
    if (!names.includes(needed)) return `the template has no {${needed}}`;
  }
  let url: URL;
  try {
    url = new URL(template.replaceAll('{s}', 'a').replace(/\{[zxyr]\}/g, '0'));
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'tiles come over http(s)';
  if (url.username || url.password) return 'put no credentials in the tile URL';
  return null;
}

/** The CSP source that lets the console load the template's images. */
export function mapTilesImageSource(template: string): string {
  const url = new URL(template.replaceAll('{s}', 'a').replace(/\{[zxyr]\}/g, '0'));
  const hostTemplate = /^[a-z]+:\/\/([^/:]+)/i.exec(template)?.[1] ?? url.hostname;
  // {s} in the host means several subdomains: allow them all (*.tile.example.org).
  const host = hostTemplate.includes('{s}')
    ? hostTemplate.replace(/^[^.]*\{s\}[^.]*\./, '*.')
    : url.hostname;
  return `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`;
}

export function mapTilesFrom(
  template: string | undefined,
  attribution: string | undefined,
  maxZoom: number | undefined,
): MapTiles | null {
  if (!template) return null;
  return { urlTemplate: template, attribution: attribution ?? '', maxZoom: maxZoom ?? 19 };
}
