import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EvidenceFileSchema } from '../../../shared/api/evidence';
import { PtzResultSchema, type PtzCommand, type PtzResult } from '../../../shared/api/cameras';
import pino, { type Logger } from 'pino';
import type {
  ViewRefusal,
  ExportClipResult,
  KeepStillResult,
  ReplayResult,
  Snapshot,
  TileState,
  View,
  ViewOpenResult,
  ViewUpdate,
  ViewVariant,
} from '../../../shared/api/views';
import type { SourceDescriptor } from '../../../shared/domain/cameras';
import type { ViewReason } from '../../../shared/domain/reasons';
import { HostCallError } from '../calls/hostCallError';
import type { ClipExport, ClipRequest, StreamState } from '../gateway/index';
import type { BackendSession } from '../session/backendSession';
import { systemClock, type Clock } from '../../../shared/time/clock';
import { GrantClient, relayDescriptor, type HeldGrant } from './grantClient';
import { DockedSchema, type DockResult } from '../../../shared/api/docking';
import { MAX_DOCK_CAMERAS, type DockTargetKind } from '../../../shared/domain/docking';
import { expectOk } from '../serverLink/serverErrors';

/** The part of the stream gateway that views use (StreamGateway implements it). */
export interface GatewayPort {
  open(
    sourceKey: string,
    descriptor: SourceDescriptor,
    variant: ViewVariant,
    viewerId: string,
  ): { readonly mediaId: string; readonly playlistPath: string };
  release(mediaId: string, viewerId: string): void;
  subscribe(mediaId: string, listener: (state: StreamState) => void): () => void;
  replay(
    mediaId: string,
    seconds: number,
  ): {
    readonly replayId: string;
    readonly playlistPath: string;
    readonly startMs: number;
    readonly endMs: number;
  };
  snapshot(mediaId: string): Promise<{ readonly jpeg: Buffer; readonly capturedAtMs: number }>;
  /** An MP4 of a range of the buffer with its manifest (gateway/clipExport.ts); absent: none. */
  exportClip?(request: ClipRequest): Promise<ClipExport>;
}

interface Media {
  readonly mediaId: string;
  readonly playlistPath: string;
  readonly unsubscribe: () => void;
}

/** A view whose video is running: the buffer its clips and stills are cut from. */
type PlayingView = ViewRecord & { media: Media };

/**
 * A still is taken from a clip this long (before the frame, plus one second after it): long enough
 * to hold the keyframe the frame decodes from.
 */
const STILL_CLIP_SECONDS = 3;

/**
 * How long the variant a view is leaving stays readable when its tile never says it has changed
 * over (views.variantShown): longer than a tile waits for a new stream before it tries again.
 */
export const OUTGOING_HOLD_MS = 15_000;

interface ViewRecord {
  readonly viewId: string;
  readonly cameraId: string;
  readonly reason: ViewReason;
  variant: ViewVariant;
  grant: HeldGrant;
  media: Media | null;
  /**
   * The variant being left during a switch: its tile keeps showing it until the new one has a
   * frame, so it stays readable until then (or until `until`, on the view manager's clock).
   */
  outgoing: { readonly media: Media; readonly until: number } | null;
  state: TileState;
  renewing: boolean;
}

export interface ViewManagerOptions {
  readonly session: BackendSession;
  /** The RTCC server the session talks to: grants' relay paths are on it. */
  readonly serverUrl: URL;
  readonly gateway: GatewayPort;
  /** Prefix of media URLs given to the renderer: `wf-media://media/` or `/media/<key>/`. */
  readonly mediaRoot: string;
  readonly onUpdate: (update: ViewUpdate) => void;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Renew a grant this long before it lapses. */
  readonly renewMarginMs?: number;
}

/** At most this many views per window or tab: a 6x6 wall and a few spares. */
export const MAX_VIEWS_PER_CONNECTION = 64;

const newViewId = (): string => randomBytes(12).toString('base64url');

/** The same reason: code, case or incident number and note alike. */
function sameReason(a: ViewReason, b: ViewReason): boolean {
  return a.code === b.code && a.reference === b.reference && a.note === b.note;
}

function tileStateOf(state: StreamState): TileState {
  if (state.kind === 'stopped') return { kind: 'failed', reason: 'The stream stopped.' };
  return state;
}

/**
 * The cameras that one window (Electron) or one browser tab (web host) has on its tiles. Each view
 * holds a stream grant from the server, requested with the operator's reason, renewed while the
 * view is open and ended when it closes; the video itself comes from the shared gateway.
 */
export class ViewManager {
  private readonly session: BackendSession;
  private readonly gateway: GatewayPort;
  private readonly mediaRoot: string;
  private readonly onUpdate: (update: ViewUpdate) => void;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly renewMarginMs: number;
  private readonly grants: GrantClient;
  private readonly serverUrl: URL;
  private readonly views = new Map<string, ViewRecord>();
  /**
   * Replay playlists handed out, with the view that made each: a replay is served only while that
   * view is open under a live grant, like its live stream.
   */
  private readonly replays = new Map<string, string>();
  /**
   * The views of the page this one replaced by a reload, waiting to be put back on its tiles
   * (`inherit`), or null.
   */
  private inherited: ViewManager | null = null;

  constructor(options: ViewManagerOptions) {
    this.session = options.session;
    this.gateway = options.gateway;
    this.mediaRoot = options.mediaRoot;
    this.onUpdate = options.onUpdate;
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'views' });
    this.renewMarginMs = options.renewMarginMs ?? 30_000;
    this.serverUrl = options.serverUrl;
    this.grants = new GrantClient(this.session, options.serverUrl, this.log);
  }

  list(): View[] {
    return [...this.views.values()].map((v) => this.describe(v));
  }

  /**
   * Whether this window or tab may read a media id now: it was handed to one of its views, that
   * view's grant is live, and so is the session (signed in, and not locked where the wall stops).
   * A URL alone opens nothing once any of these ends.
   */
  ownsMedia(id: string): boolean {
    if (!this.session.signedIn) return false;
    if (this.session.locked && !this.session.playsWhenLocked) return false;
    const now = this.clock.now();
    const live = (v: ViewRecord | undefined): boolean =>
      v !== undefined && v.grant.expiresAt > now && v.state.kind !== 'revoked';
    const replayOf = this.replays.get(id);
    if (replayOf !== undefined) return live(this.views.get(replayOf));
    for (const v of this.views.values())
      if (v.media?.mediaId === id || v.outgoing?.media.mediaId === id) return live(v);
    return false;
  }

  async open(args: {
    readonly cameraId: string;
    readonly reason: ViewReason;
    readonly variant: ViewVariant;
  }): Promise<ViewOpenResult> {
    if (this.views.size >= MAX_VIEWS_PER_CONNECTION) {
      throw new HostCallError(
        'conflict',
        `At most ${MAX_VIEWS_PER_CONNECTION} cameras can be open at once: close one first.`,
      );
    }
    const kept = this.inherited?.handOver(args);
    if (kept) return { kind: 'opened', view: this.takeBack(kept) };
    const granted = await this.grants.request(args.cameraId, args.reason, 'live', args.variant);
    if ('refusal' in granted) return granted.refusal;
    return { kind: 'opened', view: this.start(args, granted.grant) };
  }

  /**
   * This tab is the page `earlier` was before a reload (docs/console.md, "A reload keeps the
   * console"): a tile it puts back with the same camera, stream and reason carries on with the
   * view it had, under the grant that was audited when it opened, and its video never stops.
   * Whatever is not taken back ends when the host lets `earlier` go.
   */
  inherit(earlier: ViewManager): void {
    this.inherited = earlier;
  }

  /**
   * Gives up to the reloaded page a view of this camera, stream and reason whose grant is live,
   * with its stream still running (or paused by the lock); null if there is none.
   */
  private handOver(args: {
    readonly cameraId: string;
    readonly reason: ViewReason;
    readonly variant: ViewVariant;
  }): ViewRecord | null {
    const now = this.clock.now();
    for (const view of this.views.values()) {
      if (view.cameraId !== args.cameraId || view.variant !== args.variant) continue;
      if (!sameReason(view.reason, args.reason) || view.grant.expiresAt <= now) continue;
      if (!view.media && view.state.kind !== 'paused') continue;
      this.views.delete(view.viewId);
      this.forgetReplays(view.viewId);
      this.releaseOutgoing(view);
      view.media?.unsubscribe();
      return view;
    }
    return null;
  }

  /** A view handed over by the page this one replaced: its stream is followed from here on. */
  private takeBack(view: ViewRecord): View {
    this.views.set(view.viewId, view);
    if (view.media) this.follow(view, view.media);
    return this.describe(view);
  }

  /**
   * Docks a record's nearest cameras (docs/docking.md): one request for all the grants, and
   * every stream starts in the gateway as soon as its grant is in hand, before any tile asks,
   * so the cold start overlaps the console laying out the wall.
   */
  async dock(args: {
    readonly kind: DockTargetKind;
    readonly id: string;
    readonly max?: number;
  }): Promise<DockResult> {
    const room = MAX_VIEWS_PER_CONNECTION - this.views.size;
    if (room <= 0) {
      throw new HostCallError(
        'conflict',
        `At most ${MAX_VIEWS_PER_CONNECTION} cameras can be open at once: close one first.`,
      );
    }
    const askedAt = this.clock.now();
    const reply = await this.session.request(
      'POST',
      `/v1/docking/${encodeURIComponent(args.kind)}/${encodeURIComponent(args.id)}/dock`,
      { body: { max: Math.min(args.max ?? MAX_DOCK_CAMERAS, room), variant: 'sub' } },
    );
    const docked = expectOk(reply, DockedSchema, 'The nearest cameras could not be docked.');
    const grantedAt = this.clock.now();
    const views: View[] = [];
    const refused: ViewRefusal[] = [];
    for (const g of docked.grants) {
      if ('refused' in g) {
        refused.push({
          kind: 'refused',
          cameraId: g.cameraId,
          denial: g.refused.denial,
          message: g.refused.message,
          nextOpen: g.refused.nextOpen,
        });
        continue;
      }
      const grant = {
        grantId: g.grant.grantId,
        expiresAt: Date.parse(g.grant.expiresAt),
        source: relayDescriptor(g.grant.source, this.serverUrl),
      };
      views.push(
        this.start({ cameraId: g.cameraId, reason: docked.reason, variant: 'sub' }, grant),
      );
    }
    this.log.info(
      {
        kind: args.kind,
        grantsMs: grantedAt - askedAt,
        views: views.length,
        refused: refused.length,
      },
      `docked ${views.length} cameras: grants in ${grantedAt - askedAt} ms, streams started`,
    );
    return { nearest: docked.nearest, reason: docked.reason, views, refused };
  }

  /** A view under a grant in hand: its stream starts now unless the console is locked. */
  private start(
    args: { readonly cameraId: string; readonly reason: ViewReason; readonly variant: ViewVariant },
    grant: HeldGrant,
  ): View {
    const view: ViewRecord = {
      viewId: newViewId(),
      cameraId: args.cameraId,
      reason: args.reason,
      variant: args.variant,
      grant,
      media: null,
      outgoing: null,
      state: { kind: 'starting' },
      renewing: false,
    };
    this.views.set(view.viewId, view);
    if (this.session.locked && !this.session.playsWhenLocked) {
      view.state = { kind: 'paused', reason: 'The console is locked.' };
    } else {
      this.attach(view);
    }
    return this.describe(view);
  }

  setVariant(viewId: string, variant: ViewVariant): View {
    const view = this.require(viewId);
    if (view.variant === variant) return this.describe(view);
    view.variant = variant;
    if (view.media) {
      // The new stream is opened before the old is let go, so a shared source stays warm, and the
      // old stays readable until the tile shows the new one (docs/video.md, "Variants").
      const leaving = view.media;
      view.media = null;
      this.attach(view);
      leaving.unsubscribe();
      this.releaseOutgoing(view);
      view.outgoing = { media: leaving, until: this.clock.now() + OUTGOING_HOLD_MS };
    }
    return this.describe(view);
  }

  /** The view's tile now shows its current variant: the one it left is let go. */
  variantShown(viewId: string): { viewId: string } {
    this.releaseOutgoing(this.require(viewId));
    return { viewId };
  }

  private releaseOutgoing(view: ViewRecord): void {
    const leaving = view.outgoing;
    view.outgoing = null;
    // Switched back before the tile changed over: that stream is the current one again.
    if (!leaving || leaving.media.mediaId === view.media?.mediaId) return;
    this.gateway.release(leaving.media.mediaId, view.viewId);
  }

  async close(viewId: string): Promise<void> {
    const view = this.require(viewId);
    this.views.delete(viewId);
    this.forgetReplays(viewId);
    this.detach(view);
    view.state = { kind: 'closed' };
    this.push(view);
    await this.grants.end(view.grant.grantId);
  }

  async closeAll(): Promise<void> {
    const all = [...this.views.keys()];
    await Promise.all(all.map((id) => this.close(id).catch(() => undefined)));
    this.replays.clear();
  }

  async replay(viewId: string, seconds: number): Promise<ReplayResult> {
    const view = this.require(viewId);
    if (!view.media) throw new HostCallError('conflict', 'The camera is not playing.');
    // The ring buffer is a recording: the owner's policy on recordings decides, and the check
    // is audited on the server like any other view.
    const check = await this.grants.request(view.cameraId, view.reason, 'recordings', view.variant);
    if ('refusal' in check) return check.refusal;
    await this.grants.end(check.grant.grantId);
    let replay: ReturnType<GatewayPort['replay']>;
    try {
      replay = this.gateway.replay(view.media.mediaId, seconds);
    } catch (err) {
      throw new HostCallError('conflict', err instanceof Error ? err.message : 'No replay yet.');
    }
    this.replays.set(replay.replayId, view.viewId);
    return {
      kind: 'replay',
      playlistUrl: this.mediaRoot + replay.playlistPath,
      startAt: new Date(replay.startMs).toISOString(),
      endAt: new Date(replay.endMs).toISOString(),
    };
  }

  /**
   * Exports the last `seconds` of a view's buffer to a case's evidence: the owner's policy on
   * recordings decides (a grant asked for with the case as the reason, audited on the server),
   * the gateway writes the MP4 and its SHA-256, and the server, hashing the bytes again as they
   * arrive, keeps them with the case's chain of custody (docs/evidence.md).
   */
  async exportClip(
    viewId: string,
    args: { readonly seconds: number; readonly caseNumber: string; readonly pullId?: string },
  ): Promise<ExportClipResult> {
    const view = this.playingView(viewId);
    return this.keepRange(view, args, (mediaId) => {
      // The buffer's own timeline (the gateway's ingest clock) says where the last seconds are.
      const last = this.gateway.replay(mediaId, args.seconds);
      return { fromMs: last.startMs, toMs: last.endMs };
    });
  }

  /**
   * Keeps one frame with a case (docs/evidence.md, "Stills from a tile"): the seconds about
   * `atMs` (a replay's frame, on the gateway's clock) or the newest seconds, kept as a clip as
   * exportClip keeps one, then the server takes the still from that clip. The still is the
   * frame at `atMs`, or the newest the clip holds.
   */
  async keepStill(
    viewId: string,
    args: { readonly caseNumber: string; readonly atMs?: number },
  ): Promise<KeepStillResult> {
    const view = this.playingView(viewId);
    const kept = await this.keepRange(view, args, (mediaId) => {
      if (args.atMs === undefined) {
        const last = this.gateway.replay(mediaId, STILL_CLIP_SECONDS);
        return { fromMs: last.startMs, toMs: last.endMs };
      }
      return { fromMs: args.atMs - STILL_CLIP_SECONDS * 1000, toMs: args.atMs + 1000 };
    });
    if (kept.kind !== 'exported') return kept;
    const clip = kept.file;
    const spanSec = (Date.parse(clip.end) - Date.parse(clip.start)) / 1000;
    const atSec = args.atMs === undefined ? spanSec : (args.atMs - Date.parse(clip.start)) / 1000;
    const reply = await this.session.request(
      'POST',
      `/v1/evidence/files/${encodeURIComponent(clip.id)}/stills`,
      { body: { atSec: Math.max(0, Math.min(spanSec, atSec)) } },
    );
    const still = expectOk(
      reply,
      EvidenceFileSchema,
      'The still could not be taken from the clip.',
      [201],
    );
    return { kind: 'kept', still, clip };
  }

  private playingView(viewId: string): PlayingView {
    const view = this.require(viewId);
    if (!view.media) throw new HostCallError('conflict', 'The camera is not playing.');
    if (!this.gateway.exportClip) {
      throw new HostCallError('unsupported', 'This console cannot export clips.');
    }
    return view as PlayingView;
  }

  /** A range of a view's buffer kept with a case, under a recordings grant for that case. */
  private async keepRange(
    view: PlayingView,
    args: { readonly caseNumber: string; readonly pullId?: string },
    range: (mediaId: string) => { fromMs: number; toMs: number },
  ): Promise<ExportClipResult> {
    const reason = {
      code: view.reason.code === 'camera_pull' ? 'camera_pull' : 'investigation_follow_up',
      reference: args.caseNumber,
    } as const;
    const check = await this.grants.request(view.cameraId, reason, 'recordings', view.variant);
    if ('refusal' in check) return check.refusal;
    await this.grants.end(check.grant.grantId);
    let clip: ClipExport;
    try {
      const { fromMs, toMs } = range(view.media.mediaId);
      clip = await this.gateway.exportClip!({
        mediaId: view.media.mediaId,
        fromMs,
        toMs,
        camera: { id: view.cameraId, name: view.cameraId },
        grant: { id: check.grant.grantId },
        user: { id: this.session.userId ?? 'unknown', name: this.session.userId ?? 'unknown' },
        caseNumber: args.caseNumber,
      });
    } catch (err) {
      throw new HostCallError('conflict', err instanceof Error ? err.message : 'No clip yet.');
    }
    const m = clip.manifest;
    const query = new URLSearchParams({
      caseNumber: args.caseNumber,
      ...(args.pullId ? { pullId: args.pullId } : {}),
      cameraId: view.cameraId,
      grantId: check.grant.grantId,
      start: m.start,
      end: m.end,
      sha256: m.sha256,
    });
    const reply = await this.session.request('POST', `/v1/evidence/clips?${query.toString()}`, {
      raw: { contentType: 'video/mp4', bytes: await readFile(clip.filePath) },
    });
    const file = expectOk(
      reply,
      EvidenceFileSchema,
      'The clip could not be added to the case.',
      [201],
    );
    return { kind: 'exported', file };
  }

  /**
   * A recordings grant to play a stretch of the camera's recordings older than the buffer
   * (docs/console.md, "Replay in clock time"), asked for under the view's reason: the owner's
   * policy decides, and the server audits it. It stays open for the tile to read the stretch
   * through the host's record media route (the server asks the recorder for the range and audits
   * it when it is read) and lapses by itself, being short-lived.
   */
  async recordingGrant(
    viewId: string,
  ): Promise<ViewRefusal | { readonly kind: 'granted'; grantId: string; expiresAt: number }> {
    const view = this.require(viewId);
    const check = await this.grants.request(view.cameraId, view.reason, 'recordings', view.variant);
    if ('refusal' in check) return check.refusal;
    return { kind: 'granted', grantId: check.grant.grantId, expiresAt: check.grant.expiresAt };
  }

  /** One PTZ step under the view's live grant; the server decides and audits (docs/ptz.md). */
  async ptz(viewId: string, command: PtzCommand): Promise<PtzResult> {
    const view = this.require(viewId);
    const reply = await this.session.request(
      'POST',
      `/v1/grants/${encodeURIComponent(view.grant.grantId)}/ptz`,
      { body: { command } },
    );
    return expectOk(reply, PtzResultSchema, 'The camera could not be steered.');
  }

  async snapshot(viewId: string): Promise<Snapshot> {
    const view = this.require(viewId);
    if (!view.media) throw new HostCallError('conflict', 'The camera is not playing.');
    let shot: Awaited<ReturnType<GatewayPort['snapshot']>>;
    try {
      shot = await this.gateway.snapshot(view.media.mediaId);
    } catch (err) {
      throw new HostCallError('conflict', err instanceof Error ? err.message : 'No frame yet.');
    }
    return {
      imageDataUrl: `data:image/jpeg;base64,${shot.jpeg.toString('base64')}`,
      sha256: createHash('sha256').update(shot.jpeg).digest('hex'),
      capturedAt: new Date(shot.capturedAtMs).toISOString(),
    };
  }

  /** The server revoked a grant (`grant.revoked`): stop its video and tell the tile why. */
  grantRevoked(grantId: string, reason: string): void {
    for (const view of this.views.values()) {
      if (view.grant.grantId !== grantId) continue;
      this.forgetReplays(view.viewId);
      this.detach(view);
      view.state = { kind: 'revoked', reason };
      this.push(view);
    }
  }

  /** The console locked where policy stops the wall: every video stops until the unlock. */
  pauseAll(reason: string): void {
    for (const view of this.views.values()) {
      if (!view.media) continue;
      this.detach(view);
      view.state = { kind: 'paused', reason };
      this.push(view);
    }
  }

  /** After the unlock: paused views play again, under a fresh grant if theirs lapsed. */
  async resumeAll(): Promise<void> {
    for (const view of [...this.views.values()]) {
      if (view.state.kind !== 'paused') continue;
      try {
        if (view.grant.expiresAt - this.renewMarginMs <= this.clock.now()) {
          const again = await this.grants.request(view.cameraId, view.reason, 'live', view.variant);
          if ('refusal' in again) {
            view.state = { kind: 'revoked', reason: again.refusal.message };
            this.push(view);
            continue;
          }
          view.grant = again.grant;
        }
        if (this.views.get(view.viewId) === view) this.attach(view);
      } catch (err) {
        view.state = {
          kind: 'failed',
          reason: err instanceof Error ? err.message : 'The camera could not be resumed.',
        };
        this.push(view);
      }
    }
  }

  /** Lets go of variants left longer ago than the hold, and renews grants about to lapse. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const view of this.views.values())
      if (view.outgoing && view.outgoing.until <= now) this.releaseOutgoing(view);
    for (const view of [...this.views.values()]) {
      if (view.renewing || !view.media) continue;
      if (view.grant.expiresAt - this.renewMarginMs > now) continue;
      view.renewing = true;
      try {
        await this.renew(view);
      } finally {
        view.renewing = false;
      }
    }
  }

  private async renew(view: ViewRecord): Promise<void> {
    const answer = await this.grants.renew(view.grant.grantId);
    if (answer.kind === 'deferred') return;
    if (answer.kind === 'renewed') {
      view.grant = { ...view.grant, expiresAt: answer.expiresAt };
      return;
    }
    this.forgetReplays(view.viewId);
    this.detach(view);
    view.state = { kind: 'revoked', reason: answer.reason };
    this.push(view);
  }

  private forgetReplays(viewId: string): void {
    for (const [replayId, owner] of this.replays)
      if (owner === viewId) this.replays.delete(replayId);
  }

  private attach(view: ViewRecord): void {
    let opened: { readonly mediaId: string; readonly playlistPath: string };
    try {
      opened = this.gateway.open(view.cameraId, view.grant.source, view.variant, view.viewId);
    } catch (err) {
      view.state = {
        kind: 'failed',
        reason: err instanceof Error ? err.message : 'The stream could not start.',
      };
      this.push(view);
      return;
    }
    view.state = { kind: 'starting' };
    this.follow(view, opened);
  }

  /** Makes `opened` the view's media and pushes the stream's state to this tab as it changes. */
  private follow(
    view: ViewRecord,
    opened: { readonly mediaId: string; readonly playlistPath: string },
  ): void {
    // Media is set before subscribing: the gateway reports the current state at once.
    const media: { mediaId: string; playlistPath: string; unsubscribe: () => void } = {
      mediaId: opened.mediaId,
      playlistPath: opened.playlistPath,
      unsubscribe: () => undefined,
    };
    view.media = media;
    let reported = false;
    media.unsubscribe = this.gateway.subscribe(opened.mediaId, (state) => {
      if (view.media !== media) return;
      view.state = tileStateOf(state);
      reported = true;
      this.push(view);
    });
    if (!reported) this.push(view);
  }

  private detach(view: ViewRecord): void {
    this.releaseOutgoing(view);
    const media = view.media;
    if (!media) return;
    view.media = null;
    media.unsubscribe();
    this.gateway.release(media.mediaId, view.viewId);
  }

  private require(viewId: string): ViewRecord {
    const view = this.views.get(viewId);
    if (!view) throw new HostCallError('not_found', 'That view is not open (it may have closed).');
    return view;
  }

  private describe(view: ViewRecord): View {
    return {
      viewId: view.viewId,
      cameraId: view.cameraId,
      variant: view.variant,
      playlistUrl: view.media ? this.mediaRoot + view.media.playlistPath : '',
      state: view.state,
      grantExpiresAt: new Date(view.grant.expiresAt).toISOString(),
    };
  }

  private push(view: ViewRecord): void {
    this.onUpdate({
      viewId: view.viewId,
      cameraId: view.cameraId,
      state: view.state,
      playlistUrl: view.media ? this.mediaRoot + view.media.playlistPath : null,
    });
  }
}
