import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustodyEntry, EvidenceFile } from '../../../shared/api/evidence';
import { GENESIS_HASH, hashCustodyEntry } from '../../../server/evidence/custodyChain';
import {
  CUSTODY,
  custodyLines,
  MANIFEST,
  manifestBytes,
  manifestFileOf,
  PACKAGE_FORMAT,
  packageFileName,
  PUBLIC_KEY,
  sha256Of,
  SIGNATURE,
  verifyPackage,
  type Manifest,
} from '../../../server/evidence/evidencePackage';
import { keyFingerprint, signEvidence } from '../../../server/evidence/evidenceKey';
import type { EvidenceSigningKey } from '../../../server/evidence/evidenceKey';

/**
 * `wf evidence verify` on packages written here from their parts (docs/evidence.md): each way a
 * package can be altered is named by what it touched. test/server/evidence/evidence.test.ts
 * exports real packages through the server and checks them with the command.
 */

const CASE = 'RTCC-2026-0042';
const PACKAGE_ID = 'pkg-7';

function newKey(): EvidenceSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}

function evidenceFile(n: number, kind: EvidenceFile['kind'], bytes: Buffer): EvidenceFile {
  return {
    id: `file-${n}`,
    caseNumber: CASE,
    pullId: 'pull-3',
    kind,
    parentId: null,
    cameraId: 'cam-17',
    cameraName: 'Front Door (Main St.)',
    consent: { cameraKind: 'agency', policy: null, summary: 'Agency camera.' },
    start: '2026-11-28T17:00:00.000Z',
    end: '2026-11-28T17:00:08.000Z',
    source: 'recorder',
    sha256: sha256Of(bytes),
    sizeBytes: bytes.length,
    contentType: kind === 'still' ? 'image/jpeg' : 'video/mp4',
    fetchedBy: 'Analyst Ada',
    fetchedAt: '2026-11-28T17:01:00.000Z',
  };
}

/** Entries given their numbers, links and hashes, as the custody log writes them. */
function chained(bodies: readonly Omit<CustodyEntry, 'seq' | 'prevHash' | 'hash'>[]) {
  const entries: CustodyEntry[] = [];
  for (const [i, body] of bodies.entries()) {
    const linked = { ...body, seq: i + 1, prevHash: entries.at(-1)?.hash ?? GENESIS_HASH };
    entries.push({ ...linked, hash: hashCustodyEntry(linked) });
  }
  return entries;
}

function entry(action: CustodyEntry['action'], details: Record<string, unknown> = {}) {
  return {
    caseNumber: CASE,
    at: '2026-11-28T17:02:00.000Z',
    action,
    actor: 'Analyst Ada',
    fileId: null,
    details,
  };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A package as the export writes it: a video, a clip of it and a still, after three custody entries. */
async function writePackage(opts: { history?: boolean; key?: EvidenceSigningKey } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'wf-package-'));
  dirs.push(dir);
  const key = opts.key ?? newKey();
  const contents = [randomBytes(2000), randomBytes(500), randomBytes(300)];
  const files = [
    evidenceFile(1, 'recording', contents[0]!),
    { ...evidenceFile(2, 'clip', contents[1]!), parentId: 'file-1' },
    evidenceFile(3, 'still', contents[2]!),
  ];
  await mkdir(join(dir, 'files'));
  const listed = [];
  for (const [i, f] of files.entries()) {
    const name = packageFileName(i + 1, f);
    await writeFile(join(dir, name), contents[i]!);
    listed.push(manifestFileOf(name, f));
  }
  const history =
    opts.history === false ? [] : chained([entry('requested'), entry('fetched'), entry('hashed')]);
  const manifest: Manifest = {
    // The format's name is what anyone's tools look for: written out, not taken from the code.
    format: 'watchfloor-evidence/1',
    packageId: PACKAGE_ID,
    agency: 'Springfield PD',
    caseNumber: CASE,
    pullId: 'pull-3',
    createdAt: '2026-11-28T17:05:00.000Z',
    createdBy: 'Analyst Ada',
    key: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
    files: listed,
    custody: { headSeq: history.length, headHash: history.at(-1)?.hash ?? GENESIS_HASH },
  };
  const bytes = manifestBytes(manifest);
  const exported = entry('exported', { packageId: PACKAGE_ID, manifestSha256: sha256Of(bytes) });
  const custody = chained([...history, exported]);
  await writeFile(join(dir, MANIFEST), bytes);
  await writeFile(join(dir, SIGNATURE), `${signEvidence(key, bytes)}\n`);
  await writeFile(join(dir, PUBLIC_KEY), key.publicKeyPem);
  await writeFile(join(dir, CUSTODY), custodyLines(custody));
  return { dir, key, manifest, custody, names: listed.map((f) => f.name) };
}

async function rewrite(path: string, change: (text: string) => string): Promise<void> {
  await writeFile(path, change(await readFile(path, 'utf8')));
}

/** Rewrites the custody log with its entries changed and then correctly chained again. */
async function rechainCustody(dir: string, change: (entries: CustodyEntry[]) => CustodyEntry[]) {
  const entries = (await readFile(join(dir, CUSTODY), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as CustodyEntry);
  await writeFile(join(dir, CUSTODY), custodyLines(chained(change(entries))));
}

const failure = (what: string, problem: string) => ({ ok: false, what, problem });

describe('evidence package', () => {
  it('names a file by its order, kind, camera and the start of its hash', () => {
    const f = evidenceFile(1, 'recording', Buffer.from('x'));
    expect(packageFileName(7, f)).toBe(
      `files/007-recording-front-door-main-st-${f.sha256.slice(0, 12)}.mp4`,
    );
    expect(packageFileName(12, { ...f, kind: 'still', contentType: 'image/jpeg' })).toMatch(
      /^files\/012-still-front-door-main-st-[0-9a-f]{12}\.jpg$/,
    );
    // A camera name of punctuation only, and a type without an extension of its own.
    expect(packageFileName(1, { ...f, cameraName: '***', contentType: 'text/plain' })).toBe(
      `files/001-recording-camera-${f.sha256.slice(0, 12)}.bin`,
    );
    // A long name is cut to forty characters.
    expect(packageFileName(1, { ...f, cameraName: 'a'.repeat(60) })).toBe(
      `files/001-recording-${'a'.repeat(40)}-${f.sha256.slice(0, 12)}.mp4`,
    );
  });

  it('writes the manifest as two-space JSON with a final newline, and custody one entry a line', () => {
    const m = { format: PACKAGE_FORMAT, files: [] } as unknown as Manifest;
    expect(manifestBytes(m).toString('utf8')).toBe(
      `{\n  "format": "${PACKAGE_FORMAT}",\n  "files": []\n}\n`,
    );
    const entries = chained([entry('requested'), entry('fetched')]);
    expect(custodyLines(entries)).toBe(
      `${JSON.stringify(entries[0])}\n${JSON.stringify(entries[1])}\n`,
    );
  });

  it('verifies an untouched package and sums it up', async () => {
    const p = await writePackage();
    expect(await verifyPackage(p.dir)).toEqual({
      ok: true,
      summary: {
        caseNumber: CASE,
        pullId: 'pull-3',
        files: 3,
        bytes: 2800,
        custodyEntries: 4,
        fingerprint: p.key.fingerprint,
        createdAt: '2026-11-28T17:05:00.000Z',
      },
    });
    // With the agency's key named, it must be the package's.
    expect((await verifyPackage(p.dir, { trustedKeyPem: p.key.publicKeyPem })).ok).toBe(true);
  });

  it('verifies a package exported before anything else happened to its case', async () => {
    const p = await writePackage({ history: false });
    expect(p.manifest.custody.headSeq).toBe(0);
    expect(await verifyPackage(p.dir)).toMatchObject({ ok: true, summary: { custodyEntries: 1 } });
  });

  it('refuses a folder that is not a package, or whose manifest is not one', async () => {
    const p = await writePackage();
    const path = join(p.dir, MANIFEST);
    const bytes = await readFile(path);
    await rm(path);
    expect(await verifyPackage(p.dir)).toEqual(
      failure(MANIFEST, 'is missing: this is not an evidence package'),
    );
    await writeFile(path, bytes.subarray(0, 40));
    expect(await verifyPackage(p.dir)).toEqual(failure(MANIFEST, 'is not JSON'));
    await writeFile(path, JSON.stringify({ ...p.manifest, format: 'watchfloor-evidence/0' }));
    expect(await verifyPackage(p.dir)).toEqual(
      failure(MANIFEST, expect.stringMatching(/^is not a package manifest \(format: .+\)$/)),
    );
    // The problem names the field by its path; each file names its camera, and a whole SHA-256.
    const withFile = (change: object) =>
      JSON.stringify({ ...p.manifest, files: [{ ...p.manifest.files[0]!, ...change }] });
    const hash = p.manifest.files[0]!.sha256;
    for (const [change, field] of [
      [{ camera: { id: 'cam-17' } }, 'files.0.camera.name'],
      [{ sha256: `0${hash}` }, 'files.0.sha256'],
      [{ sha256: `${hash}0` }, 'files.0.sha256'],
    ] as const) {
      await writeFile(path, withFile(change));
      expect(await verifyPackage(p.dir)).toEqual(
        failure(MANIFEST, expect.stringMatching(`^is not a package manifest \\(${field}: .+\\)$`)),
      );
    }
    // A manifest.json that cannot be read is an error, not a missing manifest.
    await rm(path);
    await mkdir(path);
    await expect(verifyPackage(p.dir)).rejects.toThrow(/EISDIR/);
  });

  it('refuses a manifest that names a file outside the files folder', async () => {
    const p = await writePackage();
    const outside = '../../etc/passwd';
    for (const name of [outside, 'files/../../etc/passwd', 'evidence/files/a.mp4']) {
      await rewrite(join(p.dir, MANIFEST), (t) => t.replace(p.names[1]!, name));
      expect(await verifyPackage(p.dir)).toEqual(
        failure(MANIFEST, `names a file outside the package's files folder: ${name}`),
      );
      await rewrite(join(p.dir, MANIFEST), (t) => t.replace(name, p.names[1]!));
    }
  });

  it('names a file missing, cut short, changed, or added', async () => {
    const p = await writePackage();
    const still = p.names[2]!;
    const bytes = await readFile(join(p.dir, still));

    await rm(join(p.dir, still));
    expect(await verifyPackage(p.dir)).toEqual(failure(still, 'is missing'));

    await writeFile(join(p.dir, still), bytes.subarray(1));
    expect(await verifyPackage(p.dir)).toEqual(
      failure(still, `is ${bytes.length - 1} bytes; the manifest says ${bytes.length}`),
    );

    const flipped = Buffer.from(bytes);
    flipped[10]! ^= 0x01;
    await writeFile(join(p.dir, still), flipped);
    expect(await verifyPackage(p.dir)).toEqual(
      failure(still, 'does not match its SHA-256 in the manifest (its bytes changed)'),
    );

    await writeFile(join(p.dir, still), bytes);
    await mkdir(join(p.dir, 'files', 'more'));
    await writeFile(join(p.dir, 'files', 'more', 'extra.mp4'), 'x');
    expect(await verifyPackage(p.dir)).toEqual(
      failure('files/more/extra.mp4', 'is in the package but not in the manifest'),
    );
    await rm(join(p.dir, 'files', 'more'), { recursive: true });
    expect((await verifyPackage(p.dir)).ok).toBe(true);
  });

  it('verifies a package of no files, which has no files folder', async () => {
    const p = await writePackage();
    await rm(join(p.dir, 'files'), { recursive: true });
    // The manifest is re-signed and re-recorded as if the export had been of no files.
    const bytes = manifestBytes({ ...p.manifest, files: [] });
    await writeFile(join(p.dir, MANIFEST), bytes);
    await writeFile(join(p.dir, SIGNATURE), signEvidence(p.key, bytes));
    await rechainCustody(p.dir, (entries) => [
      ...entries.slice(0, 3),
      { ...entries[3]!, details: { packageId: PACKAGE_ID, manifestSha256: sha256Of(bytes) } },
    ]);
    expect(await verifyPackage(p.dir)).toMatchObject({ ok: true, summary: { files: 0, bytes: 0 } });
    // A `files` that is not a folder is an error, not an empty package.
    await writeFile(join(p.dir, 'files'), 'x');
    await expect(verifyPackage(p.dir)).rejects.toThrow(/ENOTDIR/);
  });

  it('names the custody entry that is missing, unreadable or broken', async () => {
    const p = await writePackage();
    const path = join(p.dir, CUSTODY);
    const text = await readFile(path, 'utf8');
    const lines = text.trimEnd().split('\n');

    await rm(path);
    expect(await verifyPackage(p.dir)).toEqual(failure(CUSTODY, 'is missing'));

    await writeFile(path, [lines[0], '{"seq": 2', ...lines.slice(2)].join('\n'));
    expect(await verifyPackage(p.dir)).toEqual(failure('custody entry 2', 'is not JSON'));

    await writeFile(path, [lines[0], '{"seq": 2}', ...lines.slice(2)].join('\n'));
    expect(await verifyPackage(p.dir)).toEqual(
      failure('custody entry 2', 'is not a custody entry'),
    );

    await writeFile(path, [lines[0], ...lines.slice(2)].join('\n'));
    expect(await verifyPackage(p.dir)).toEqual(
      failure('custody entry 2', 'is numbered 3: an entry before it is missing or moved'),
    );

    // Blank lines (a final newline, one left between entries, one of spaces) are no entries.
    await writeFile(path, `${lines[0]}\n\n${lines[1]}\n   \n${lines.slice(2).join('\n')}\n\n`);
    expect((await verifyPackage(p.dir)).ok).toBe(true);
  });

  it('refuses custody entries of another case, chained as they may be', async () => {
    const p = await writePackage();
    await rechainCustody(p.dir, (entries) => [
      entries[0]!,
      { ...entries[1]!, caseNumber: 'RTCC-2026-0099' },
      ...entries.slice(2),
    ]);
    expect(await verifyPackage(p.dir)).toEqual(
      failure('custody entry 2', `is for case RTCC-2026-0099, not ${CASE}`),
    );
  });

  it('refuses custody that does not reach the head the manifest names, then this export', async () => {
    const p = await writePackage();
    // Another head than the one signed (its entry rewritten, or the chain shortened).
    await rechainCustody(p.dir, (entries) => [
      entries[0]!,
      entries[1]!,
      { ...entries[2]!, actor: 'Officer Bob' },
      entries[3]!,
    ]);
    expect(await verifyPackage(p.dir)).toEqual(
      failure('custody entry 3', 'is not the entry the signed manifest says the export follows'),
    );
    await rechainCustody(p.dir, (entries) => entries.slice(0, 2));
    expect(await verifyPackage(p.dir)).toEqual(
      failure('custody entry 3', 'is not the entry the signed manifest says the export follows'),
    );

    const exportMissing =
      'should record this export, and does not (entries after the export were removed or changed)';
    const q = await writePackage();
    const original = await readFile(join(q.dir, CUSTODY), 'utf8');
    await rechainCustody(q.dir, (entries) => entries.slice(0, 3));
    expect(await verifyPackage(q.dir)).toEqual(failure('custody entry 4', exportMissing));
    await writeFile(join(q.dir, CUSTODY), original);
    await rechainCustody(q.dir, (entries) => [
      ...entries.slice(0, 3),
      { ...entries[3]!, action: 'shared' },
    ]);
    expect(await verifyPackage(q.dir)).toEqual(failure('custody entry 4', exportMissing));
    await writeFile(join(q.dir, CUSTODY), original);
    await rechainCustody(q.dir, (entries) => [
      ...entries.slice(0, 3),
      { ...entries[3]!, details: { ...entries[3]!.details, packageId: 'pkg-8' } },
    ]);
    expect(await verifyPackage(q.dir)).toEqual(failure('custody entry 4', exportMissing));
    await writeFile(join(q.dir, CUSTODY), original);
    expect((await verifyPackage(q.dir)).ok).toBe(true);
  });

  it('refuses a manifest changed after its export was recorded, even if signed again', async () => {
    const p = await writePackage();
    const manifest = { ...p.manifest, createdBy: 'Officer Bob' };
    const bytes = manifestBytes(manifest);
    await writeFile(join(p.dir, MANIFEST), bytes);
    await writeFile(join(p.dir, SIGNATURE), signEvidence(p.key, bytes));
    expect(await verifyPackage(p.dir)).toEqual(
      failure(
        MANIFEST,
        'was changed after export: its SHA-256 is not the one the custody log records for it',
      ),
    );
  });

  it('refuses a missing or foreign key, and a missing or foreign signature', async () => {
    const p = await writePackage();
    const keyPath = join(p.dir, PUBLIC_KEY);
    await rm(keyPath);
    expect(await verifyPackage(p.dir)).toEqual(failure(PUBLIC_KEY, 'is missing'));

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    await writeFile(keyPath, rsa.export({ type: 'spki', format: 'pem' }));
    expect(await verifyPackage(p.dir)).toEqual(failure(PUBLIC_KEY, 'is not an Ed25519 public key'));
    await writeFile(keyPath, 'not a key');
    expect(await verifyPackage(p.dir)).toEqual(failure(PUBLIC_KEY, 'is not an Ed25519 public key'));

    // Another key put in the package: not the one the manifest names.
    const other = newKey();
    await writeFile(keyPath, other.publicKeyPem);
    expect(await verifyPackage(p.dir)).toEqual(
      failure(PUBLIC_KEY, 'is not the key the manifest names'),
    );
    await writeFile(keyPath, p.key.publicKeyPem);
    // The package's own key is not the agency's the reader named.
    expect(await verifyPackage(p.dir, { trustedKeyPem: other.publicKeyPem })).toEqual(
      failure(PUBLIC_KEY, `is not the agency key you named (fingerprint ${p.key.fingerprint})`),
    );

    const sigPath = join(p.dir, SIGNATURE);
    const signature = await readFile(sigPath);
    await rm(sigPath);
    expect(await verifyPackage(p.dir)).toEqual(failure('signature', `${SIGNATURE} is missing`));
    await writeFile(sigPath, signEvidence(other, await readFile(join(p.dir, MANIFEST))));
    expect(await verifyPackage(p.dir)).toEqual(
      failure('signature', `${SIGNATURE} is not the agency's signature of ${MANIFEST}`),
    );
    await writeFile(sigPath, signature);
    expect((await verifyPackage(p.dir)).ok).toBe(true);
  });
});
