import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * A content-addressed file store: every file is named by the SHA-256 of its bytes, under
 * `<dir>/<first two hex digits>/<sha256>`. A name is its own integrity check (verify re-hashes),
 * the same bytes stored twice are one file, and a name from outside can never reach beyond the
 * folder, since only 64 lowercase hex digits are a name.
 *
 * A file appears under its name only once complete and on disk: it is written to a temporary
 * file in the store's folder (the same file system, so the rename is atomic), fsynced, then
 * renamed, and the folder is fsynced so that the rename survives a crash.
 */

export interface StoredMedia {
  readonly sha256: string;
  readonly size: number;
}

export interface TooLarge {
  readonly tooLarge: true;
}

export interface MediaStore {
  /** The folder the store keeps its files in. */
  readonly dir: string;
  /**
   * Stores the bytes of a stream. Stops reading once more than maxBytes arrived (the stream is
   * closed, nothing is kept) and answers tooLarge. An error from the stream is rethrown after the
   * partial file is removed.
   */
  putStream(
    stream: AsyncIterable<Uint8Array> | Readable,
    opts: { readonly maxBytes: number },
  ): Promise<StoredMedia | TooLarge>;
  /** Stores a copy of a file (which is left where it is). */
  putFile(path: string): Promise<StoredMedia>;
  has(sha256: string): Promise<boolean>;
  /** Where a stored file is (or would be). Throws InvalidMediaHashError unless sha256 is a name. */
  pathOf(sha256: string): string;
  openRead(sha256: string): ReadStream;
  /** The size in bytes of a stored file; null when the store does not have it. */
  size(sha256: string): Promise<number | null>;
  /** Whether the stored file still hashes to its name (false when missing or altered). */
  verify(sha256: string): Promise<boolean>;
}

export class InvalidMediaHashError extends Error {
  constructor() {
    super('a media name is 64 lowercase hexadecimal digits (a SHA-256)');
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Temporary files start with a dot, so no stored name (hex digits) can ever collide with one. */
const TEMP_PREFIX = '.incoming-';

export function isMediaHash(value: string): boolean {
  return SHA256_HEX.test(value);
}

export async function openMediaStore(dir: string): Promise<MediaStore> {
  await mkdir(dir, { recursive: true });
  // Leftovers of puts cut short by a crash: never named, never referenced.
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { force: true });
  }

  const pathOf = (sha256: string): string => {
    if (!isMediaHash(sha256)) throw new InvalidMediaHashError();
    return join(dir, sha256.slice(0, 2), sha256);
  };

  const putStream: MediaStore['putStream'] = async (stream, { maxBytes }) => {
    const tempPath = join(dir, `${TEMP_PREFIX}${randomBytes(12).toString('hex')}`);
    const file = await open(tempPath, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    let kept = false;
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        // Leaving the loop closes the stream: the rest is never read.
        if (size > maxBytes) return { tooLarge: true };
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
      await file.close();
      const sha256 = hash.digest('hex');
      const finalPath = pathOf(sha256);
      const bucket = join(dir, sha256.slice(0, 2));
      await mkdir(bucket, { recursive: true });
      // Same bytes, same name: replacing an existing copy with an identical one is harmless, so
      // concurrent puts of one file need no lock.
      await rename(tempPath, finalPath);
      kept = true;
      await syncDir(bucket);
      return { sha256, size };
    } finally {
      if (!kept) {
        await file.close().catch(() => undefined);
        await rm(tempPath, { force: true });
      }
    }
  };

  const size = async (sha256: string): Promise<number | null> => {
    const path = pathOf(sha256);
    try {
      return (await stat(path)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };

  return {
    dir,
    putStream,
    async putFile(path) {
      const put = await putStream(createReadStream(path), { maxBytes: Number.POSITIVE_INFINITY });
      if ('tooLarge' in put) throw new Error('unreachable: no size limit');
      return put;
    },
    async has(sha256) {
      return (await size(sha256)) !== null;
    },
    pathOf,
    openRead: (sha256) => createReadStream(pathOf(sha256)),
    size,
    async verify(sha256) {
      const path = pathOf(sha256);
      const hash = createHash('sha256');
      try {
        for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
      return hash.digest('hex') === sha256;
    },
  };
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
