import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidMediaHashError,
  openMediaStore,
  type MediaStore,
} from '../../../server/media/mediaStore';

/** The content-addressed media store, on a real folder. */

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let dir = '';
let store: MediaStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-media-'));
  store = await openMediaStore(join(dir, 'media'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The files in the store's folder, temporary ones included. */
async function listing(): Promise<string[]> {
  const entries = await readdir(store.dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

describe('putting a file', () => {
  it('names it by its SHA-256 under the first two hex digits', async () => {
    const bytes = randomBytes(200_000);
    const put = await store.putStream(chunks(bytes.subarray(0, 70_000), bytes.subarray(70_000)), {
      maxBytes: 1_000_000,
    });
    expect(put).toEqual({ sha256: sha(bytes), size: bytes.length });
    const path = join(store.dir, sha(bytes).slice(0, 2), sha(bytes));
    expect(store.pathOf(sha(bytes))).toBe(path);
    expect(await readFile(path)).toEqual(bytes);
    expect(await store.has(sha(bytes))).toBe(true);
    expect(await store.size(sha(bytes))).toBe(bytes.length);
    expect(await store.verify(sha(bytes))).toBe(true);
    expect(await listing()).toEqual([sha(bytes)]);
  });

  it('reads a Node stream and stores a file copied from disk', async () => {
    const bytes = randomBytes(5_000);
    const fromStream = await store.putStream(Readable.from([bytes]), { maxBytes: 5_000 });
    const source = join(dir, 'photo.jpg');
    await writeFile(source, bytes);
    const fromFile = await store.putFile(source);
    expect(fromStream).toEqual(fromFile);
    expect(await readFile(source)).toEqual(bytes);
  });

  it('stores the same bytes once, also when two puts race', async () => {
    const bytes = randomBytes(300_000);
    const puts = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.putStream(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
          maxBytes: 1_000_000,
        }),
      ),
    );
    for (const put of puts) expect(put).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.putStream(chunks(bytes), { maxBytes: 1_000_000 })).toEqual(puts[0]);
    expect(await listing()).toEqual([sha(bytes)]);
    expect(await store.verify(sha(bytes))).toBe(true);
  });

  it('stores an empty file', async () => {
    expect(await store.putStream(chunks(), { maxBytes: 10 })).toEqual({
      sha256: sha(new Uint8Array()),
      size: 0,
    });
  });

  it('accepts exactly maxBytes and refuses one more, keeping nothing', async () => {
    const bytes = randomBytes(1024);
    expect(await store.putStream(chunks(bytes), { maxBytes: 1024 })).toMatchObject({ size: 1024 });
    const bigger = randomBytes(1025);
    expect(await store.putStream(chunks(bigger), { maxBytes: 1024 })).toEqual({ tooLarge: true });
    expect(await listing()).toEqual([sha(bytes)]);
  });

  it('stops reading a stream once it passes the limit', async () => {
    let produced = 0;
    let closed = false;
    async function* endless(): AsyncIterable<Uint8Array> {
      try {
        for (;;) {
          produced += 1;
          yield new Uint8Array(1000);
        }
      } finally {
        closed = true;
      }
    }
    expect(await store.putStream(endless(), { maxBytes: 10_500 })).toEqual({ tooLarge: true });
    expect(produced).toBe(11);
    expect(closed).toBe(true);
    expect(await listing()).toEqual([]);
  });

  it('removes the partial file when the stream fails', async () => {
    async function* broken(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(100);
      throw new Error('connection reset');
    }
    await expect(store.putStream(broken(), { maxBytes: 1000 })).rejects.toThrow('connection reset');
    expect(await listing()).toEqual([]);
  });

  it('clears leftovers of an interrupted put when opened again', async () => {
    await writeFile(join(store.dir, '.incoming-deadbeef'), 'half a video');
    const bytes = randomBytes(10);
    await store.putStream(chunks(bytes), { maxBytes: 10 });
    const reopened = await openMediaStore(store.dir);
    expect(await listing()).toEqual([sha(bytes)]);
    expect(await reopened.has(sha(bytes))).toBe(true);
  });
});

describe('reading', () => {
  it('streams a stored file back', async () => {
    const bytes = randomBytes(70_000);
    await store.putStream(chunks(bytes), { maxBytes: 100_000 });
    const parts: Buffer[] = [];
    for await (const part of store.openRead(sha(bytes))) parts.push(part as Buffer);
    expect(Buffer.concat(parts)).toEqual(bytes);
  });

  it('answers for a file it does not have', async () => {
    const absent = sha(Buffer.from('never stored'));
    expect(await store.has(absent)).toBe(false);
    expect(await store.size(absent)).toBeNull();
    expect(await store.verify(absent)).toBe(false);
  });

  it('notices a stored file whose bytes changed', async () => {
    const bytes = randomBytes(100);
    await store.putStream(chunks(bytes), { maxBytes: 100 });
    await writeFile(store.pathOf(sha(bytes)), randomBytes(100));
    expect(await store.verify(sha(bytes))).toBe(false);
  });
});

describe('names from outside', () => {
  const hostile = [
    '../../../etc/passwd',
    '..',
    '',
    `${'a'.repeat(63)}/`,
    `../${'a'.repeat(61)}`,
    'A'.repeat(64),
    'g'.repeat(64),
    'a'.repeat(63),
    'a'.repeat(65),
    `${'a'.repeat(64)}\0`,
    `${'a'.repeat(64)}\n`,
    `/${'a'.repeat(63)}`,
  ];

  it.each(hostile)('refuses %j everywhere', async (name) => {
    expect(() => store.pathOf(name)).toThrow(InvalidMediaHashError);
    expect(() => store.openRead(name)).toThrow(InvalidMediaHashError);
    await expect(store.has(name)).rejects.toThrow(InvalidMediaHashError);
    await expect(store.size(name)).rejects.toThrow(InvalidMediaHashError);
    await expect(store.verify(name)).rejects.toThrow(InvalidMediaHashError);
  });
});
