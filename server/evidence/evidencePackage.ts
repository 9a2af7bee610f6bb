import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import {
  CustodyEntrySchema,
  EvidenceConsentSchema,
  type CustodyEntry,
  type EvidenceFile,
} from '../../shared/api/evidence';
import { findCustodyBreak } from './custodyChain';
import { keyFingerprint, publicKeyFromPem, verifyEvidenceSignature } from './evidenceKey';

/**
 * An evidence package is a plain folder (docs/evidence.md), so that anyone can open it and check
 * it with common tools (sha256sum, openssl), and `wf evidence verify` checks all of it:
 *
 *   manifest.json    what the package holds: case, pull, and per file its camera, the owner's
 *                    consent, time range, source, SHA-256 and size; the custody head it follows
 *   manifest.sig     Ed25519 signature of manifest.json's exact bytes, base64
 *   public-key.pem   the agency's public key (SPKI PEM); manifest.json names its fingerprint
 *   custody.jsonl    the case's chain of custody, one entry per line, ending with this export
 *   files/           the videos and stills, named in the manifest
 */

export const PACKAGE_FORMAT = 'watchfloor-evidence/1';
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'public-key.pem';
export const CUSTODY = 'custody.jsonl';
export const FILES_DIR = 'files';

export const ManifestFileSchema = z.object({
  name: z.string(),
  fileId: z.string(),
  kind: z.enum(['recording', 'clip', 'still']),
  parentId: z.string().nullable(),
  camera: z.object({ id: z.string(), name: z.string() }),
  consent: EvidenceConsentSchema,
  start: z.string(),
  end: z.string(),
  source: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  contentType: z.string(),
  fetchedBy: z.string(),
  fetchedAt: z.string(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const ManifestSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  packageId: z.string(),
  agency: z.string(),
  caseNumber: z.string(),
  pullId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  key: z.object({ algorithm: z.literal('Ed25519'), fingerprint: z.string() }),
  files: z.array(ManifestFileSchema),
  /** The custody entry this export follows; the export's own entry comes next in custody.jsonl. */
  custody: z.object({ headSeq: z.number().int().nonnegative(), headHash: z.string() }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const EXTENSION: Readonly<Record<string, string>> = {
  'video/mp4': 'mp4',
  'image/jpeg': 'jpg',
};

/** A file's name in the package: its order, kind, camera and the start of its hash. */
export function packageFileName(n: number, f: EvidenceFile): string {
  const camera = f.cameraName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  const ext = EXTENSION[f.contentType] ?? 'bin';
  return `${FILES_DIR}/${String(n).padStart(3, '0')}-${f.kind}-${camera || 'camera'}-${f.sha256.slice(0, 12)}.${ext}`;
}

export function manifestFileOf(name: string, f: EvidenceFile): ManifestFile {
  return {
    name,
    fileId: f.id,
    kind: f.kind,
    parentId: f.parentId,
    camera: { id: f.cameraId, name: f.cameraName },
    consent: f.consent,
    start: f.start,
    end: f.end,
    source: f.source,
    sha256: f.sha256,
    sizeBytes: f.sizeBytes,
    contentType: f.contentType,
    fetchedBy: f.fetchedBy,
    fetchedAt: f.fetchedAt,
  };
}

/** The manifest's bytes as written and signed: two-space JSON and a final newline. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

export function custodyLines(entries: readonly CustodyEntry[]): string {
  return entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface PackageSummary {
  readonly caseNumber: string;
  readonly pullId: string | null;
  readonly files: number;
  readonly bytes: number;
  readonly custodyEntries: number;
  readonly fingerprint: string;
  readonly createdAt: string;
}

/** What `verify` found: the first thing that does not match, named, or the package's summary. */
export type PackageVerdict =
  | { readonly ok: true; readonly summary: PackageSummary }
  | { readonly ok: false; readonly what: string; readonly problem: string };

const fail = (what: string, problem: string): PackageVerdict => ({ ok: false, what, problem });

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  try {
    await walk(join(dir, FILES_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return out;
}

/**
 * Checks a package: every file against the manifest (hash and size, nothing missing, nothing
 * added), the custody chain entry by entry, that the chain reaches the head the manifest names
 * and then records this export of exactly these manifest bytes, and the signature with the
 * package's public key (or, given `trustedKeyPem`, that the package's key is that one).
 */
export async function verifyPackage(
  dir: string,
  opts: { readonly trustedKeyPem?: string } = {},
): Promise<PackageVerdict> {
  const bytes = await readOrNull(join(dir, MANIFEST));
  if (bytes === null) return fail(MANIFEST, 'is missing: this is not an evidence package');
  let manifest: Manifest;
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fail(
        MANIFEST,
        `is not a package manifest (${issue.path.join('.')}: ${issue.message})`,
      );
    }
    manifest = parsed.data;
  } catch {
    return fail(MANIFEST, 'is not JSON');
  }

  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (!/^files\/[A-Za-z0-9._-]+$/.test(f.name)) {
      return fail(MANIFEST, `names a file outside the package's files folder: ${f.name}`);
    }
    listed.add(f.name);
    const path = join(dir, f.name);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return fail(f.name, 'is missing');
    }
    if (size !== f.sizeBytes) {
      return fail(f.name, `is ${size} bytes; the manifest says ${f.sizeBytes}`);
    }
    if ((await sha256OfFile(path)) !== f.sha256) {
      return fail(f.name, 'does not match its SHA-256 in the manifest (its bytes changed)');
    }
  }
  for (const name of await listFiles(dir)) {
    if (!listed.has(name)) return fail(name, 'is in the package but not in the manifest');
  }

  const custodyText = await readOrNull(join(dir, CUSTODY));
  if (custodyText === null) return fail(CUSTODY, 'is missing');
  const entries: CustodyEntry[] = [];
  for (const [i, line] of custodyText.toString('utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      const parsed = CustodyEntrySchema.safeParse(JSON.parse(line));
      if (!parsed.success) return fail(`custody entry ${i + 1}`, 'is not a custody entry');
      entries.push(parsed.data);
    } catch {
      return fail(`custody entry ${i + 1}`, 'is not JSON');
    }
  }
  const broken = findCustodyBreak(entries);
  if (broken) return fail(`custody entry ${broken.entry}`, broken.problem);
  for (const e of entries) {
    if (e.caseNumber !== manifest.caseNumber) {
      return fail(
        `custody entry ${e.seq}`,
        `is for case ${e.caseNumber}, not ${manifest.caseNumber}`,
      );
    }
  }
  const head = manifest.custody;
  const headEntry = entries[head.headSeq - 1];
  if (head.headSeq > 0 && (!headEntry || headEntry.hash !== head.headHash)) {
    return fail(
      `custody entry ${head.headSeq}`,
      'is not the entry the signed manifest says the export follows',
    );
  }
  const exported = entries[head.headSeq];
  if (
    !exported ||
    exported.action !== 'exported' ||
    exported.details.packageId !== manifest.packageId
  ) {
    return fail(
      `custody entry ${head.headSeq + 1}`,
      'should record this export, and does not (entries after the export were removed or changed)',
    );
  }
  if (exported.details.manifestSha256 !== sha256Of(bytes)) {
    return fail(
      MANIFEST,
      'was changed after export: its SHA-256 is not the one the custody log records for it',
    );
  }

  const pem = await readOrNull(join(dir, PUBLIC_KEY));
  if (pem === null) return fail(PUBLIC_KEY, 'is missing');
  let key: ReturnType<typeof publicKeyFromPem>;
  try {
    key = publicKeyFromPem(pem);
  } catch {
    return fail(PUBLIC_KEY, 'is not an Ed25519 public key');
  }
  if (opts.trustedKeyPem !== undefined) {
    const trusted = publicKeyFromPem(opts.trustedKeyPem);
    if (keyFingerprint(trusted.publicKey) !== key.fingerprint) {
      return fail(PUBLIC_KEY, `is not the agency key you named (fingerprint ${key.fingerprint})`);
    }
  }
  if (manifest.key.fingerprint !== key.fingerprint) {
    return fail(PUBLIC_KEY, 'is not the key the manifest names');
  }
  const signature = await readOrNull(join(dir, SIGNATURE));
  if (signature === null) return fail('signature', `${SIGNATURE} is missing`);
  if (!verifyEvidenceSignature(key, bytes, signature.toString('utf8'))) {
    return fail('signature', `${SIGNATURE} is not the agency's signature of ${MANIFEST}`);
  }
  return {
    ok: true,
    summary: {
      caseNumber: manifest.caseNumber,
      pullId: manifest.pullId,
      files: manifest.files.length,
      bytes: manifest.files.reduce((s, f) => s + f.sizeBytes, 0),
      custodyEntries: entries.length,
      fingerprint: key.fingerprint,
      createdAt: manifest.createdAt,
    },
  };
}
