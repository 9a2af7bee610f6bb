import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The built renderer is a handful of file types. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  readonly cacheControl: string;
}

/**
 * A file of the built renderer for a URL path, confined to `root`: `..`, encoded separators and
 * NUL never leave it. Paths without an extension get index.html (the console is one page).
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = resolve(root);
  const wanted = decoded === '/' || extname(decoded) === '' ? '/index.html' : decoded;
  const full = resolve(base, `.${normalize(wanted)}`);
  if (full !== base && !full.startsWith(base + sep)) return null;
  try {
    const info = await stat(full);
    if (!info.isFile()) return null;
  } catch {
    return null;
  }
  const body = await readFile(full);
  const type = CONTENT_TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream';
  // Vite names bundles by content hash; index.html must always be fresh.
  const hashed = full.startsWith(join(base, 'assets') + sep);
  return {
    status: 200,
    contentType: type,
    body,
    cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}
