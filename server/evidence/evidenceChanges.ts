import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditBy, actorOfPrincipal, type Actor } from '../audit/actor';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import { findCamera, findRecordingsSource } from '../cameras/cameraRepository';
import { cameraSecretsOf } from '../cameras/cameraSecrets';
import { sharingOf, type CameraRow } from '../cameras/cameraRows';
import { decideAccess } from '../../shared/policy/decideAccess';
import { openMediaStore, type MediaStore } from '../media/mediaStore';
import { findMediaTools } from '../media/mediaTools';
import { describeSharingPolicy } from '../../shared/policy/evaluateSharingPolicy';
import { roleHas } from '../../shared/domain/roles';
import type { SharingDecision } from '../../shared/domain/sharingPolicy';
import type {
  EvidenceConsent,
  EvidenceExport,
  EvidenceFile,
  EvidenceLink,
  EvidenceLinkView,
  FetchRecordingRequest,
} from '../../shared/api/evidence';
import { loadEvidenceKey, signEvidence, type EvidenceSigningKey } from './evidenceKey';
import {
  CUSTODY,
  FILES_DIR,
  MANIFEST,
  PACKAGE_FORMAT,
  PUBLIC_KEY,
  SIGNATURE,
  custodyLines,
  manifestBytes,
  manifestFileOf,
  packageFileName,
  sha256Of,
  type Manifest,
} from './evidencePackage';
import { fetchRecordingInto, RecordingsFetchError } from './recordingsFetch';
import {
  appendCustody,
  findEvidenceFile,
  findLinkById,
  findLinkByToken,
  insertEvidenceExport,
  insertEvidenceFile,
  insertEvidenceLink,
  listCustody,
  listEvidenceFiles,
  noteLinkOpened,
  revokeLinkRow,
} from './evidenceRepository';

/** What the evidence routes share: the media store, the signing key, ffmpeg. Made on first use. */
export interface EvidenceServices {
  media(): Promise<MediaStore>;
  key(): EvidenceSigningKey;
  readonly ffmpeg: () => string;
  /** How long one recordings fetch may take. */
  readonly fetchTimeoutMs: number;
}

export function evidenceServices(ctx: ServerContext): EvidenceServices {
  let media: Promise<MediaStore> | null = null;
  let key: EvidenceSigningKey | null = null;
  let ffmpeg: string | null = null;
  return {
    media: () => (media ??= openMediaStore(ctx.config.mediaDir)),
    key: () => (key ??= loadEvidenceKey(ctx.config.evidenceSigningKey)),
    ffmpeg: () => (ffmpeg ??= findMediaTools().ffmpeg),
    fetchTimeoutMs: 10 * 60_000,
  };
}

type Refused = Extract<SharingDecision, { allowed: false }>;

/** The longest chain of windows followed to cover one range (a week of hourly windows). */
const MAX_POLICY_STEPS = 200;

/**
 * Whether the owner's policy for recordings covers the whole range: allowed at its start, and,
 * where that permission lapses before the end, again from that instant on (back-to-back
 * windows). An alarm-only policy is judged by the alarm as it stands now: the policy records no
 * history of alarms.
 */
export function decideRecordingsRange(
  camera: CameraRow,
  startMs: number,
  endMs: number,
  timeZone: string,
): { allowed: true } | Refused {
  const subject = {
    kind: camera.kind,
    sharing: sharingOf(camera),
    alarmActive: camera.alarm_active,
  };
  let at = startMs;
  for (let step = 0; step < MAX_POLICY_STEPS; step++) {
    const decision = decideAccess(subject, 'recordings', at, timeZone);
    if (!decision.allowed) {
      if (at === startMs) return decision;
      return {
        ...decision,
        reason: `The owner shares recordings only for part of this range: from ${new Date(at).toISOString()} ${lowerFirst(decision.reason)}`,
      };
    }
    if (decision.until === null || decision.until >= endMs) return { allowed: true };
    at = decision.until;
  }
  return {
    allowed: false,
    denial: 'outside_window',
    reason: 'The range crosses too many of the owner’s sharing windows: ask for a shorter one.',
    nextOpen: null,
  };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function consentOf(camera: CameraRow, timeZone: string): EvidenceConsent {
  const policy = sharingOf(camera);
  return {
    cameraKind: camera.kind,
    policy,
    summary:
      camera.kind === 'agency'
        ? "The agency's own camera: no owner's consent needed."
        : policy
          ? describeSharingPolicy(policy, timeZone)
          : 'Owner has not agreed to share this camera.',
  };
}

function fetchDetails(request: FetchRecordingRequest): Record<string, unknown> {
  return {
    caseNumber: request.caseNumber,
    ...(request.pullId ? { pullId: request.pullId } : {}),
    cameraId: request.cameraId,
    start: new Date(request.start).toISOString(),
    end: new Date(request.end).toISOString(),
    reason: {
      code: request.reason,
      reference: request.caseNumber,
      ...(request.note ? { note: request.note } : {}),
    },
  };
}

/**
 * Fetches a time range of a camera's recordings for a case. The owner's policy for recordings
 * decides first (a refusal is audited with its reason); the bytes come from the camera's
 * recordings source with the credentials on file, never through a workstation; they are stored
 * by SHA-256 and entered in the case's chain of custody (requested, fetched, hashed).
 */
export async function fetchRecording(
  ctx: ServerContext,
  services: EvidenceServices,
  who: Principal,
  request: FetchRecordingRequest,
): Promise<EvidenceFile> {
  const actor = actorOfPrincipal(who);
  if (!roleHas(who.role, 'recordings.view')) {
    throw new HttpError(403, `Your role (${who.role}) may not view recordings.`);
  }
  const startMs = Date.parse(request.start);
  const endMs = Date.parse(request.end);
  const requestedAt = new Date(ctx.clock.now()).toISOString();
  const details = fetchDetails(request);

  const looked = await ctx.store.transaction(async (tx) => {
    const camera = await findCamera(tx, request.cameraId);
    if (!camera) throw new HttpError(404, `No camera ${request.cameraId}.`);
    if (camera.kind === 'registered') {
      throw new HttpError(
        409,
        `"${camera.name}" is a registered camera: its owner keeps the footage, so contact them through the pull.`,
      );
    }
    const source = await findRecordingsSource(tx, cameraSecretsOf(ctx.config), camera.id);
    if (!source) throw new HttpError(409, `"${camera.name}" has no recordings source on file.`);
    const { timeZone } = await getAgency(tx);
    return {
      camera,
      source,
      consent: consentOf(camera, timeZone),
      decision: decideRecordingsRange(camera, startMs, endMs, timeZone),
    };
  });
  if (!looked.decision.allowed) {
    const refused = looked.decision;
    await ctx.record({
      audit: auditBy(actor, {
        action: 'evidence.fetch',
        targetType: 'camera',
        targetId: request.cameraId,
        outcome: 'denied',
        details: { ...details, denial: refused.denial, policy: refused.reason },
      }),
      event: null,
    });
    throw new HttpError(403, refused.reason, undefined, 'sharing_policy');
  }

  const media = await services.media();
  let stored: Awaited<ReturnType<typeof fetchRecordingInto>>;
  try {
    stored = await fetchRecordingInto(
      media,
      looked.source,
      { startMs, endMs },
      { maxBytes: ctx.config.recordingMaxBytes, timeoutMs: services.fetchTimeoutMs },
    );
  } catch (err) {
    if (!(err instanceof RecordingsFetchError)) throw err;
    await ctx.record({
      audit: auditBy(actor, {
        action: 'evidence.fetch',
        targetType: 'camera',
        targetId: request.cameraId,
        outcome: 'failure',
        details: { ...details, problem: err.message },
      }),
      event: null,
    });
    throw new HttpError(409, `The footage could not be fetched: ${err.message}.`);
  }

  const file: EvidenceFile = {
    id: randomUUID(),
    caseNumber: request.caseNumber,
    pullId: request.pullId ?? null,
    kind: 'recording',
    parentId: null,
    cameraId: looked.camera.id,
    cameraName: looked.camera.name,
    consent: looked.consent,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    source: 'recordings',
    sha256: stored.sha256,
    sizeBytes: stored.size,
    contentType: stored.contentType,
    fetchedBy: actor.name,
    fetchedAt: new Date(ctx.clock.now()).toISOString(),
  };
  await ctx.record({
    apply: async ({ tx, at }) => {
      await insertEvidenceFile(tx, { ...file, fetchedAt: at.toISOString() });
      await appendCustody(tx, request.caseNumber, at, [
        {
          action: 'requested',
          actor: actor.name,
          fileId: file.id,
          details: { ...details, requestedAt },
        },
        {
          action: 'fetched',
          actor: actor.name,
          fileId: file.id,
          details: { source: 'recordings', cameraName: file.cameraName, bytes: file.sizeBytes },
        },
        {
          action: 'hashed',
          actor: actor.name,
          fileId: file.id,
          details: { algorithm: 'SHA-256', sha256: file.sha256, bytes: file.sizeBytes },
        },
      ]);
    },
    audit: auditBy(actor, {
      action: 'evidence.fetch',
      targetType: 'evidence_file',
      targetId: file.id,
      outcome: 'success',
      details: { ...details, sha256: file.sha256, bytes: file.sizeBytes },
    }),
    event: {
      type: 'evidence.changed',
      payload: { caseNumber: request.caseNumber, change: 'file' },
    },
  });
  return (await findEvidenceFile(ctx.store, file.id))!;
}

/** The clip a workstation exported from its replay buffer (the gateway's clip export). */
export interface ReplayClip {
  readonly caseNumber: string;
  readonly pullId: string | null;
  readonly cameraId: string;
  readonly grantId: string;
  readonly start: string;
  readonly end: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Adds a clip exported from a workstation's replay buffer to a case: the bytes arrived and were
 * stored under the SHA-256 the server computed, which must be the one the gateway's manifest
 * names; the grant it was viewed under must be the caller's, for that camera.
 */
export async function addReplayClip(
  ctx: ServerContext,
  who: Principal,
  clip: ReplayClip,
  claimedSha256: string,
): Promise<EvidenceFile> {
  const actor = actorOfPrincipal(who);
  const id = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      if (claimedSha256 !== clip.sha256) {
        throw new HttpError(
          409,
          "The clip's bytes do not hash to the SHA-256 its manifest names: it changed on the way.",
        );
      }
      const camera = await findCamera(tx, clip.cameraId);
      if (!camera) throw new HttpError(404, `No camera ${clip.cameraId}.`);
      const grant = await tx.query<{ user_id: string; camera_id: string; reason: unknown }>(
        'select user_id, camera_id, reason from camera_grants where id = $1',
        [clip.grantId],
      );
      const g = grant.rows[0];
      if (!g || g.user_id !== who.userId || g.camera_id !== camera.id) {
        throw new HttpError(
          409,
          'The clip names a grant that is not yours for this camera: export it from your own view.',
        );
      }
      const { timeZone } = await getAgency(tx);
      const file: EvidenceFile = {
        id,
        caseNumber: clip.caseNumber,
        pullId: clip.pullId,
        kind: 'clip',
        parentId: null,
        cameraId: camera.id,
        cameraName: camera.name,
        consent: consentOf(camera, timeZone),
        start: new Date(clip.start).toISOString(),
        end: new Date(clip.end).toISOString(),
        source: 'replay',
        sha256: clip.sha256,
        sizeBytes: clip.size,
        contentType: 'video/mp4',
        fetchedBy: actor.name,
        fetchedAt: at.toISOString(),
      };
      await insertEvidenceFile(tx, file);
      await appendCustody(tx, clip.caseNumber, at, [
        {
          action: 'fetched',
          actor: actor.name,
          fileId: id,
          details: {
            source: 'replay',
            cameraId: camera.id,
            grantId: clip.grantId,
            start: file.start,
            end: file.end,
            bytes: clip.size,
          },
        },
        {
          action: 'hashed',
          actor: actor.name,
          fileId: id,
          details: { algorithm: 'SHA-256', sha256: clip.sha256, bytes: clip.size },
        },
      ]);
      return file;
    },
    audit: auditBy(actor, {
      action: 'evidence.fetch',
      targetType: 'evidence_file',
      targetId: id,
      outcome: 'success',
      details: {
        caseNumber: clip.caseNumber,
        cameraId: clip.cameraId,
        grantId: clip.grantId,
        source: 'replay',
        sha256: clip.sha256,
        bytes: clip.size,
      },
    }),
    event: { type: 'evidence.changed', payload: { caseNumber: clip.caseNumber, change: 'file' } },
  });
  return value;
}

function runFfmpeg(ffmpeg: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpeg, args, { timeout: 60_000, windowsHide: true }, (err) =>
      err ? reject(new HttpError(409, 'A still could not be taken from this video.')) : resolve(),
    );
  });
}

/** A JPEG of one frame of an evidence video, kept with the case as a file of its own. */
export async function takeStill(
  ctx: ServerContext,
  services: EvidenceServices,
  actor: Actor,
  fileId: string,
  atSec: number | undefined,
): Promise<EvidenceFile> {
  const video = await findEvidenceFile(ctx.store, fileId);
  if (!video) throw new HttpError(404, `No evidence file ${fileId}.`);
  if (video.contentType !== 'video/mp4') {
    throw new HttpError(409, 'A still is taken from a video; this file is a still already.');
  }
  const spanSec = (Date.parse(video.end) - Date.parse(video.start)) / 1000;
  const offset = Math.max(0, Math.min(atSec ?? spanSec / 2, Math.max(0, spanSec - 0.5)));
  const media = await services.media();
  const work = await mkdtemp(join(tmpdir(), 'wf-still-'));
  try {
    const out = join(work, 'still.jpg');
    await runFfmpeg(services.ffmpeg(), [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-protocol_whitelist',
      'file',
      '-ss',
      offset.toFixed(3),
      '-i',
      media.pathOf(video.sha256),
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-y',
      out,
    ]);
    const stored = await media.putFile(out);
    if (stored.size === 0) throw new HttpError(409, 'This video has no frame at that time.');
    const at = new Date(Date.parse(video.start) + offset * 1000).toISOString();
    const still: EvidenceFile = {
      ...video,
      id: randomUUID(),
      kind: 'still',
      parentId: video.id,
      start: at,
      end: at,
      source: `still of ${video.id}`,
      sha256: stored.sha256,
      sizeBytes: stored.size,
      contentType: 'image/jpeg',
      fetchedBy: actor.name,
    };
    await ctx.record({
      apply: async ({ tx, at: now }) => {
        await insertEvidenceFile(tx, { ...still, fetchedAt: now.toISOString() });
        await appendCustody(tx, video.caseNumber, now, [
          {
            action: 'hashed',
            actor: actor.name,
            fileId: still.id,
            details: {
              algorithm: 'SHA-256',
              sha256: still.sha256,
              bytes: still.sizeBytes,
              stillOf: video.id,
              atSec: Number(offset.toFixed(3)),
            },
          },
        ]);
      },
      audit: auditBy(actor, {
        action: 'evidence.still',
        targetType: 'evidence_file',
        targetId: still.id,
        outcome: 'success',
        details: { caseNumber: video.caseNumber, stillOf: video.id, sha256: still.sha256 },
      }),
      event: {
        type: 'evidence.changed',
        payload: { caseNumber: video.caseNumber, change: 'file' },
      },
    });
    return (await findEvidenceFile(ctx.store, still.id))!;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A package folder's name: case, time and a short id, nothing a file system could misread. */
function packageDirName(caseNumber: string, at: Date, id: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${caseNumber}-${stamp}-${id.slice(0, 8)}`;
}

/**
 * Exports a signed package of a case's files (or one pull's): each video gets a still if it has
 * none, the files are copied from the media store, and, holding the case's chain of custody, the
 * manifest is written with the chain's head, signed, and the export entered in the chain.
 */
export async function exportPackage(
  ctx: ServerContext,
  services: EvidenceServices,
  actor: Actor,
  caseNumber: string,
  pullId: string | undefined,
): Promise<EvidenceExport> {
  let files = await listEvidenceFiles(ctx.store, caseNumber, pullId);
  if (files.length === 0) {
    throw new HttpError(
      404,
      pullId
        ? `Pull ${pullId} of case ${caseNumber} has no footage yet.`
        : `Case ${caseNumber} has no evidence yet.`,
    );
  }
  const stilled = new Set(files.filter((f) => f.kind === 'still').map((f) => f.parentId));
  for (const video of files.filter((f) => f.contentType === 'video/mp4' && !stilled.has(f.id))) {
    await takeStill(ctx, services, actor, video.id, undefined);
  }
  files = await listEvidenceFiles(ctx.store, caseNumber, pullId);

  const key = services.key();
  const media = await services.media();
  const id = randomUUID();
  const createdAt = new Date(ctx.clock.now());
  const dir = packageDirName(caseNumber, createdAt, id);
  await mkdir(ctx.config.evidenceDir, { recursive: true });
  const staging = join(ctx.config.evidenceDir, `.staging-${randomBytes(8).toString('hex')}`);
  await mkdir(join(staging, FILES_DIR), { recursive: true });
  let moved = false;
  try {
    const named = files.map((f, i) => ({ file: f, name: packageFileName(i + 1, f) }));
    for (const { file, name } of named) {
      if (!(await media.verify(file.sha256))) {
        throw new HttpError(
          409,
          `The stored copy of ${name} no longer matches its SHA-256: it cannot be exported.`,
        );
      }
      await copyFile(media.pathOf(file.sha256), join(staging, name));
    }
    const agency = await getAgency(ctx.store);
    const { value } = await ctx.record({
      apply: async ({ tx, at }) => {
        // Taking the case's lock first: nothing joins the chain between reading it and the export.
        await appendCustody(tx, caseNumber, at, []);
        const chain = await listCustody(tx, caseNumber);
        const head = chain.at(-1);
        const manifest: Manifest = {
          format: PACKAGE_FORMAT,
          packageId: id,
          agency: agency.name,
          caseNumber,
          pullId: pullId ?? null,
          createdAt: at.toISOString(),
          createdBy: actor.name,
          key: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
          files: named.map(({ file, name }) => manifestFileOf(name, file)),
          custody: { headSeq: head?.seq ?? 0, headHash: head?.hash ?? '' },
        };
        const bytes = manifestBytes(manifest);
        const manifestSha256 = sha256Of(bytes);
        const [exported] = await appendCustody(tx, caseNumber, at, [
          {
            action: 'exported',
            actor: actor.name,
            fileId: null,
            details: { packageId: id, manifestSha256, files: files.length, dir },
          },
        ]);
        await writeFile(join(staging, MANIFEST), bytes);
        await writeFile(join(staging, SIGNATURE), `${signEvidence(key, bytes)}\n`);
        await writeFile(join(staging, PUBLIC_KEY), key.publicKeyPem);
        await writeFile(join(staging, CUSTODY), custodyLines([...chain, exported!]));
        const record: EvidenceExport = {
          id,
          caseNumber,
          pullId: pullId ?? null,
          dir,
          manifestSha256,
          files: files.length,
          sizeBytes: files.reduce((s, f) => s + f.sizeBytes, 0),
          keyFingerprint: key.fingerprint,
          createdBy: actor.name,
          createdAt: at.toISOString(),
        };
        await insertEvidenceExport(tx, record);
        await rename(staging, join(ctx.config.evidenceDir, dir));
        moved = true;
        return record;
      },
      audit: (e) =>
        auditBy(actor, {
          action: 'evidence.export',
          targetType: 'evidence_export',
          targetId: e.id,
          outcome: 'success',
          details: {
            caseNumber,
            ...(pullId ? { pullId } : {}),
            files: e.files,
            bytes: e.sizeBytes,
            manifestSha256: e.manifestSha256,
            keyFingerprint: e.keyFingerprint,
          },
        }),
      event: { type: 'evidence.changed', payload: { caseNumber, change: 'export' } },
    });
    return value;
  } catch (err) {
    // The folder was renamed inside a transaction that then failed: nothing refers to it.
    if (moved) await rm(join(ctx.config.evidenceDir, dir), { recursive: true, force: true });
    throw err;
  } finally {
    if (!moved) await rm(staging, { recursive: true, force: true });
  }
}

export const linkTokenSha256 = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

/** A link for an officer to view one evidence video, valid for `hours`; the token shown once. */
export async function createLink(
  ctx: ServerContext,
  actor: Actor,
  input: { readonly fileId: string; readonly officer: string; readonly hours: number },
): Promise<EvidenceLink & { readonly token: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const file = await findEvidenceFile(tx, input.fileId);
      if (!file) throw new HttpError(404, `No evidence file ${input.fileId}.`);
      if (file.contentType !== 'video/mp4') {
        throw new HttpError(409, 'A link shows a clip: this file is a still.');
      }
      const link: EvidenceLink = {
        id,
        fileId: file.id,
        caseNumber: file.caseNumber,
        officer: input.officer,
        createdBy: actor.name,
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + input.hours * 3_600_000).toISOString(),
        revokedAt: null,
        openedCount: 0,
        lastOpenedAt: null,
      };
      await insertEvidenceLink(tx, link, linkTokenSha256(token));
      await appendCustody(tx, file.caseNumber, at, [
        {
          action: 'shared',
          actor: actor.name,
          fileId: file.id,
          details: { linkId: id, officer: input.officer, expiresAt: link.expiresAt },
        },
      ]);
      return link;
    },
    audit: (l) =>
      auditBy(actor, {
        action: 'evidence.link.create',
        targetType: 'evidence_link',
        targetId: l.id,
        outcome: 'success',
        details: {
          caseNumber: l.caseNumber,
          fileId: l.fileId,
          officer: l.officer,
          expiresAt: l.expiresAt,
        },
      }),
    event: (l) => ({
      type: 'evidence.changed',
      payload: { caseNumber: l.caseNumber, change: 'link' },
    }),
  });
  return { ...value, token };
}

export async function revokeLink(
  ctx: ServerContext,
  actor: Actor,
  id: string,
): Promise<EvidenceLink> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const link = await findLinkById(tx, id);
      if (!link) throw new HttpError(404, `No evidence link ${id}.`);
      if (link.revokedAt !== null) throw new HttpError(409, 'This link is already revoked.');
      return revokeLinkRow(tx, id, at);
    },
    audit: (l) =>
      auditBy(actor, {
        action: 'evidence.link.revoke',
        targetType: 'evidence_link',
        targetId: l.id,
        outcome: 'success',
        details: { caseNumber: l.caseNumber, fileId: l.fileId, officer: l.officer },
      }),
    event: (l) => ({
      type: 'evidence.changed',
      payload: { caseNumber: l.caseNumber, change: 'link' },
    }),
  });
  return value;
}

/** Why a link no longer opens, in words for the officer; null while it does. */
export function linkClosed(link: EvidenceLink, now: number): string | null {
  if (link.revokedAt !== null) {
    return `This evidence link was revoked on ${link.revokedAt}: ask the center for a new one.`;
  }
  if (Date.parse(link.expiresAt) <= now) {
    return `This evidence link expired on ${link.expiresAt}: ask the center for a new one.`;
  }
  return null;
}

const UNKNOWN_LINK = 'This evidence link does not exist: check that it was copied whole.';

/**
 * An officer opens a link: each opening is audited and entered in the case's chain of custody;
 * an expired or revoked link is refused, and the attempt audited too.
 */
export async function openLink(
  ctx: ServerContext,
  who: Principal,
  token: string,
): Promise<EvidenceLinkView> {
  const actor = actorOfPrincipal(who);
  type Opened = { view: EvidenceLinkView } | { closed: string; link: EvidenceLink };
  const { value } = await ctx.record<Opened>({
    apply: async ({ tx, at }) => {
      const link = await findLinkByToken(tx, linkTokenSha256(token));
      if (!link) throw new HttpError(404, UNKNOWN_LINK);
      const closed = linkClosed(link, at.getTime());
      if (closed) return { closed, link };
      const file = (await findEvidenceFile(tx, link.fileId))!;
      await noteLinkOpened(tx, link.id, at);
      await appendCustody(tx, link.caseNumber, at, [
        {
          action: 'opened',
          actor: actor.name,
          fileId: file.id,
          details: { linkId: link.id, officer: link.officer },
        },
      ]);
      return {
        view: {
          caseNumber: link.caseNumber,
          officer: link.officer,
          expiresAt: link.expiresAt,
          file: {
            id: file.id,
            kind: file.kind,
            cameraName: file.cameraName,
            start: file.start,
            end: file.end,
            sha256: file.sha256,
            sizeBytes: file.sizeBytes,
            contentType: file.contentType,
          },
        },
      };
    },
    audit: (o) => {
      const link = 'view' in o ? null : o.link;
      return auditBy(actor, {
        action: 'evidence.link.open',
        targetType: 'evidence_link',
        targetId: link?.id ?? null,
        outcome: 'view' in o ? 'success' : 'denied',
        details:
          'view' in o
            ? { caseNumber: o.view.caseNumber, fileId: o.view.file.id, officer: o.view.officer }
            : { caseNumber: o.link.caseNumber, fileId: o.link.fileId, problem: o.closed },
      });
    },
    event: (o) => ({
      type: 'evidence.changed',
      payload: { caseNumber: 'view' in o ? o.view.caseNumber : o.link.caseNumber, change: 'link' },
    }),
  });
  if ('closed' in value) throw new HttpError(410, value.closed, undefined, 'link_closed');
  return value.view;
}

/** The file of a link that still opens (the video request that follows an opening). */
export async function linkedFile(ctx: ServerContext, token: string): Promise<EvidenceFile> {
  const link = await findLinkByToken(ctx.store, linkTokenSha256(token));
  if (!link) throw new HttpError(404, UNKNOWN_LINK);
  const closed = linkClosed(link, ctx.clock.now());
  if (closed) throw new HttpError(410, closed, undefined, 'link_closed');
  return (await findEvidenceFile(ctx.store, link.fileId))!;
}
