import Hls from 'hls.js';
import type { CallError } from '../../shared/api/watchfloorApi';
import type { View, ViewUpdate } from '../../shared/api/views';
import type { ViewReason } from '../../shared/domain/reasons';
import { systemClock } from '../../shared/time/clock';
import { call } from '../app/watchfloor';
import { LIVE_HLS_CONFIG, withMediaLoader } from './hlsConfig';
import { forgiveStalls, keepNearLiveEdge } from './liveEdge';
import { settleFor, StandbySettle } from './standbySettle';
import { TileStartup } from './tileStartup';
import {
  TileHealth,
  type StreamVariant,
  type TileCommand,
  type TileHealthSnapshot,
} from './tileHealth';
import { watchView } from './viewRegistry';

/** What a tile shows and what tests and benchmarks read from its DOM. */
export interface TileFigures {
  readonly health: TileHealthSnapshot;
  readonly viewId: string | null;
  /** Ingest clock to displayed frame (hls.js playingDate against now), ms. */
  readonly latencyMs: number | null;
  readonly currentTime: number;
  readonly decodedFrames: number;
  readonly droppedFrames: number;
  /** Wall time the current player was attached, and where its start went (tileStartup.ts). */
  readonly startedAt: number | null;
  readonly startup: string;
}

/** The tile's target distance from the live edge (the gateway's PART-HOLD-BACK). */
const LIVE_SYNC_SEC = LIVE_HLS_CONFIG.liveSyncDuration ?? 0.6;

/** How often the tile samples its video and moves its health machine on. */
const TICK_MS = 250;

/** Host errors that a later attempt may get past. */
const RETRYABLE: readonly CallError['code'][] = ['offline', 'failed', 'conflict'];

/**
 * Drives one tile's video: asks the host for a view of the camera, plays it with hls.js, feeds
 * what it sees to the tile's health machine and carries out the machine's commands. Plain DOM
 * and hls.js, no React: the tile component owns one and hands it the elements.
 */
export class TilePlayer {
  private readonly health = new TileHealth(systemClock);
  private readonly startup = new TileStartup(systemClock);
  private hls: Hls | null = null;
  private view: View | null = null;
  private stopWatching: (() => void) | null = null;
  private camera: {
    readonly cameraId: string;
    readonly reason: ViewReason;
    readonly view?: View;
  } | null = null;
  /** A view the host opened for the tile (docking) that the tile has not yet taken up. */
  private handedView: View | null = null;
  /** Increases with every load and unload, so a late reply to an old request is ignored. */
  private generation = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private disposed = false;
  private latencyMs: number | null = null;
  /** When hls.js last reported a stall (or the player started). */
  private lastStallAt = 0;
  private lastFigures: TileFigures | null = null;
  /** Which of the two video elements shows the picture; the other takes a variant switch. */
  private active = 0;
  /** The other variant, loading on the hidden element until it has a frame. */
  private standby: Hls | null = null;
  private standbyUrl: string | null = null;
  /** From asking the host for the other variant until its picture shows. */
  private switching = false;

  /**
   * `videos` are the tile's two video elements: one shows the picture, the other (class
   * `standby`, hidden) loads the other variant on a switch, and they trade places on its first
   * frame, so that maximising and restoring never blank the tile.
   */
  constructor(
    private readonly root: HTMLElement,
    private readonly videos: readonly [HTMLVideoElement, HTMLVideoElement],
    private readonly onFigures: (f: TileFigures) => void,
  ) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.publish();
  }

  /** Put a camera on the tile, or take it off (null). */
  show(
    camera: { readonly cameraId: string; readonly reason: ViewReason; readonly view?: View } | null,
    wanted: StreamVariant,
  ): void {
    const same =
      camera?.cameraId === this.camera?.cameraId &&
      camera?.reason === this.camera?.reason &&
      camera?.view?.viewId === this.camera?.view?.viewId;
    if (same) return this.setWanted(wanted);
    this.run(this.health.clear());
    this.closeView();
    this.closeHandedView();
    this.camera = camera;
    this.handedView = camera?.view ?? null;
    if (camera) this.run(this.health.start(wanted));
    this.publish();
  }

  setWanted(wanted: StreamVariant): void {
    this.run(this.health.setWanted(wanted));
    this.publish();
  }

  setVisible(visible: boolean): void {
    this.run(this.health.setVisible(visible));
    this.publish();
  }

  /** "Try again" on a failed or revoked tile. */
  retry(): void {
    if (!this.camera) return;
    this.closeView();
    this.run(this.health.start(this.health.snapshot().wanted));
    this.publish();
  }

  get viewId(): string | null {
    return this.view?.viewId ?? null;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.run(this.health.clear());
    this.closeView();
    this.closeHandedView();
  }

  private tick(): void {
    if (this.hls) {
      const t = this.video.currentTime;
      // Only a decoded frame counts: before it, currentTime can sit at 0 with playback "started".
      if (this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && t > 0) {
        this.startup.mark('frame');
        this.run(this.health.progress(t));
        keepNearLiveEdge(this.hls, this.video);
        forgiveStalls(this.hls, LIVE_SYNC_SEC, Date.now() - this.lastStallAt);
      }
      const playing = this.hls.playingDate;
      this.latencyMs = playing ? Math.max(0, Date.now() - playing.getTime()) : null;
    } else {
      this.latencyMs = null;
    }
    this.run(this.health.tick());
    this.publish();
  }

  /** The element showing the picture. */
  private get video(): HTMLVideoElement {
    return this.videos[this.active]!;
  }

  private run(commands: readonly TileCommand[]): void {
    for (const c of commands) {
      if (c.type === 'load') void this.load(c.variant);
      else if (c.type === 'switch') void this.switchVariant(c.variant);
      else this.unload();
    }
  }

  /**
   * A live tile changes variant (maximised or restored): the host is asked for the other one,
   * which plays on the hidden element; the picture changes over on its first frame.
   */
  private async switchVariant(variant: StreamVariant): Promise<void> {
    if (!this.view || !this.hls || !Hls.isSupported()) return this.load(variant);
    const generation = ++this.generation;
    this.switching = true;
    const r = await call('views.setVariant', { viewId: this.view.viewId, variant });
    if (generation !== this.generation || this.disposed) return;
    if (!r.ok) {
      this.switching = false;
      this.forgetView();
      return this.failed(r.error);
    }
    this.adopt(r.value);
    // The host may already have announced the new playlist (onViewUpdate started it).
    if (!this.standby || this.standbyUrl !== r.value.playlistUrl) {
      this.prepareStandby(r.value.playlistUrl, generation);
    }
  }

  private prepareStandby(url: string, generation: number): void {
    this.dropStandby();
    const next = 1 - this.active;
    const video = this.videos[next]!;
    const hls = new Hls(withMediaLoader(LIVE_HLS_CONFIG));
    this.standby = hls;
    this.standbyUrl = url;
    const changeOver = () => {
      if (this.standby !== hls || generation !== this.generation || this.disposed) return;
      const shown = this.video;
      this.standby = null;
      this.switching = false;
      this.hls?.destroy();
      this.hls = hls;
      this.active = next;
      video.classList.remove('standby');
      shown.classList.add('standby');
      clearVideo(shown);
      this.lastStallAt = Date.now();
      this.health.switched();
      this.publish();
      // The old variant's picture is gone: the host may let go of its stream.
      if (this.view) void call('views.variantShown', { viewId: this.view.viewId });
    };
    // The new variant is shown once it plays smoothly (standbySettle.ts); the old one plays on.
    const settle = new StandbySettle(settleFor(this.health.snapshot().variant));
    const watch = (now: number, frame: VideoFrameCallbackMetadata) => {
      if (this.standby !== hls || generation !== this.generation || this.disposed) return;
      if (!settle.framed) this.health.standbyFramed();
      if (settle.frame(frame.presentationTime ?? now)) changeOver();
      else video.requestVideoFrameCallback(watch);
    };
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(watch);
    else video.addEventListener('playing', changeOver, { once: true });
    hls.on(Hls.Events.MANIFEST_PARSED, () => void video.play().catch(() => undefined));
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (!data.fatal || this.standby !== hls) return;
      this.dropStandby();
      this.run(this.health.error(`Video error: ${data.details}`, true));
      this.publish();
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  private dropStandby(): void {
    const hls = this.standby;
    this.standby = null;
    this.standbyUrl = null;
    if (!hls) return;
    hls.destroy();
    clearVideo(this.videos[1 - this.active]!);
  }

  private async load(variant: StreamVariant): Promise<void> {
    const generation = ++this.generation;
    this.detachHls();
    const camera = this.camera;
    if (!camera) return;
    if (!this.view && this.handedView) {
      // Docked: the host started this stream when it was granted; take it over as it is.
      this.adopt(this.handedView);
      this.handedView = null;
    }
    if (!this.view) {
      const r = await call('views.open', {
        cameraId: camera.cameraId,
        reason: camera.reason,
        variant,
      });
      if (generation !== this.generation || this.disposed) {
        if (r.ok && r.value.kind === 'opened')
          void call('views.close', { viewId: r.value.view.viewId });
        return;
      }
      if (!r.ok) return this.failed(r.error);
      if (r.value.kind === 'refused') {
        const next = r.value.nextOpen ? Date.parse(r.value.nextOpen) : null;
        this.run(this.health.refuse(r.value.message, Number.isFinite(next) ? next : null));
        return this.publish();
      }
      this.adopt(r.value.view);
    } else if (this.view.variant !== variant) {
      const r = await call('views.setVariant', { viewId: this.view.viewId, variant });
      if (generation !== this.generation || this.disposed) return;
      if (!r.ok) {
        this.forgetView();
        return this.failed(r.error);
      }
      // The host may answer with a new view id for the new variant: follow it either way.
      this.adopt(r.value);
      // Nothing shows the old variant (the player was let go above): the host may release it.
      void call('views.variantShown', { viewId: r.value.viewId });
    }
    if (this.view) this.attachHls(this.view.playlistUrl);
  }

  private failed(error: CallError): void {
    this.run(this.health.error(error.message, RETRYABLE.includes(error.code)));
    this.publish();
  }

  private unload(): void {
    this.generation++;
    this.detachHls();
    // A tile that is waiting to reconnect keeps its view (and its grant); one that stopped lets go.
    const state = this.health.snapshot().state;
    if (
      state !== 'reconnecting' &&
      !(state === 'failed' && this.health.snapshot().retryAt !== null)
    )
      this.closeView();
  }

  private adopt(view: View): void {
    this.view = view;
    this.stopWatching?.();
    this.stopWatching = watchView(view.viewId, view.cameraId, (u) => this.onViewUpdate(u));
  }

  private onViewUpdate(u: ViewUpdate): void {
    if (!this.view || u.viewId !== this.view.viewId) return;
    const s = u.state;
    if (s.kind === 'revoked') {
      this.run(this.health.revoke(s.reason));
      this.forgetView();
    } else if (s.kind === 'closed') {
      this.forgetView();
      this.run(this.health.error('The view was closed by the host', true));
    } else if (s.kind === 'failed') {
      this.forgetView();
      this.run(this.health.error(s.reason, true));
    } else if (u.playlistUrl && u.playlistUrl !== this.view.playlistUrl) {
      this.view = { ...this.view, playlistUrl: u.playlistUrl };
      if (this.switching) this.prepareStandby(u.playlistUrl, this.generation);
      else if (this.hls) this.attachHls(u.playlistUrl);
    }
    this.publish();
  }

  private attachHls(url: string): void {
    this.detachHls();
    const video = this.video;
    if (!Hls.isSupported()) {
      // Safari plays HLS itself (the web console on an iPad).
      video.src = url;
      void video.play().catch(() => undefined);
      return;
    }
    const hls = new Hls(withMediaLoader(LIVE_HLS_CONFIG));
    this.hls = hls;
    this.lastStallAt = Date.now();
    const startup = this.startup;
    startup.attached();
    hls.once(Hls.Events.LEVEL_LOADED, () => startup.mark('playlist'));
    hls.once(Hls.Events.FRAG_LOADED, () => startup.mark('fragment'));
    hls.once(Hls.Events.FRAG_BUFFERED, () => startup.mark('buffered'));
    // The first frame, as soon as it is shown (the tick would see it up to 250 ms later).
    video.requestVideoFrameCallback?.(() => {
      if (this.hls === hls) startup.mark('frame');
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      void video.play().catch(() => undefined);
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) this.lastStallAt = Date.now();
      else if (this.hls === hls) startup.error(data.details);
      // During a switch the host lets the old stream go: its picture holds until the new one.
      if (!data.fatal || this.hls !== hls || this.switching) return;
      this.run(this.health.error(`Video error: ${data.details}`, true));
      this.publish();
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  private detachHls(): void {
    this.switching = false;
    this.dropStandby();
    const hls = this.hls;
    this.hls = null;
    if (hls) hls.destroy();
    clearVideo(this.video);
    this.latencyMs = null;
  }

  private forgetView(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.view = null;
  }

  private closeHandedView(): void {
    const view = this.handedView;
    this.handedView = null;
    if (view) void call('views.close', { viewId: view.viewId });
  }

  private closeView(): void {
    const view = this.view;
    this.forgetView();
    if (view) void call('views.close', { viewId: view.viewId });
  }

  private publish(): void {
    const quality = this.hls ? this.video.getVideoPlaybackQuality?.() : undefined;
    const f: TileFigures = {
      health: this.health.snapshot(),
      viewId: this.view?.viewId ?? null,
      latencyMs: this.latencyMs,
      currentTime: this.hls ? this.video.currentTime : 0,
      decodedFrames: quality?.totalVideoFrames ?? 0,
      droppedFrames: quality?.droppedVideoFrames ?? 0,
      startedAt: this.startup.startedAt,
      startup: this.startup.summary(),
    };
    writeDataset(this.root, f);
    const prev = this.lastFigures;
    this.lastFigures = f;
    // React hears only what it shows: state changes and the latency figure (to 100 ms).
    if (
      !prev ||
      prev.health !== f.health ||
      prev.viewId !== f.viewId ||
      Math.round((prev.latencyMs ?? -1) / 100) !== Math.round((f.latencyMs ?? -1) / 100)
    )
      this.onFigures(f);
  }
}

/** Lets go of an element's media, so that it holds no connection and no decoded frames. */
function clearVideo(video: HTMLVideoElement): void {
  if (video.getAttribute('src')) {
    video.removeAttribute('src');
    video.load();
  }
}

/** Playback figures on the tile's element, for end-to-end tests and benchmarks. */
function writeDataset(el: HTMLElement, f: TileFigures): void {
  const d = el.dataset;
  d.state = f.health.state;
  d.variant = f.health.variant;
  d.latencyMs = f.latencyMs === null ? '' : String(Math.round(f.latencyMs));
  d.currentTime = f.currentTime.toFixed(2);
  d.decodedFrames = String(f.decodedFrames);
  d.droppedFrames = String(f.droppedFrames);
  d.stalls = String(f.health.stalls);
  d.attempt = String(f.health.attempt);
  d.viewId = f.viewId ?? '';
  d.startedAt = f.startedAt === null ? '' : String(f.startedAt);
  d.startup = f.startup;
}
