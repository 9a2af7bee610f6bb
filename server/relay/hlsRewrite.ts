/**
 * Rewrites an HLS playlist fetched from a camera so that every URI in it points back at the relay.
 * A URI on the camera's own origin becomes a relay path; anything else (another host, the RTCC
 * server itself, file:, data:) becomes the relay's refusal path, so the relay never fetches it and
 * the workstation never learns it. Pure, so each rule is a plain test.
 */

/** Encodes a path and query on the camera's origin as one URL-safe path segment. */
export function encodeRelayRef(pathAndQuery: string): string {
  return Buffer.from(pathAndQuery, 'utf8').toString('base64url');
}

/** The path and query a relay reference stands for, or null when it is not one. */
export function decodeRelayRef(ref: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(ref)) return null;
  const text = Buffer.from(ref, 'base64url').toString('utf8');
  return text.startsWith('/') && !text.startsWith('//') && !/[\s\\]/.test(text) ? text : null;
}

export interface RewriteTarget {
  /** Where the playlist came from: relative URIs resolve against it. */
  readonly playlistUrl: URL;
  /** The camera's origin: the only one the relay fetches from. */
  readonly cameraOrigin: string;
  /** The relay path for a path and query on the camera's origin. */
  readonly relayPath: (pathAndQuery: string) => string;
  /** The relay path that always refuses. */
  readonly refusedPath: string;
}

function rewriteUri(uri: string, target: RewriteTarget): string {
  let resolved: URL;
  try {
    resolved = new URL(uri, target.playlistUrl);
  } catch {
    return target.refusedPath;
  }
  const web = resolved.protocol === 'http:' || resolved.protocol === 'https:';
  if (!web || resolved.origin !== target.cameraOrigin) return target.refusedPath;
  return target.relayPath(resolved.pathname + resolved.search);
}

export function rewritePlaylist(text: string, target: RewriteTarget): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === '') return line;
      if (trimmed.startsWith('#')) {
        // Tags that name resources carry them in URI="..." (keys, maps, parts, renditions).
        return line.replace(
          /URI="([^"]*)"/g,
          (_m, uri: string) => `URI="${rewriteUri(uri, target)}"`,
        );
      }
      return rewriteUri(trimmed, target);
    })
    .join('\n');
}
