import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { SourceDescriptor } from '../../shared/domain/cameras';
import { decodeRelayRef, encodeRelayRef, rewritePlaylist } from './hlsRewrite';
import { openUpstream, readSmall, splitCredentials, UpstreamError } from './cameraUpstream';
import type { RelayGrant } from './relayGrants';
import { relayTokenSha256 } from './relayTokens';
import { remuxRtsp } from './rtspRemux';

export type RelayVariant = 'main' | 'sub';

/** What one relay request gets: an error, a rewritten playlist, or a stream held under a grant. */
export type RelayAnswer =
  | { readonly kind: 'error'; readonly status: number; readonly message: string }
  | { readonly kind: 'playlist'; readonly body: string }
  | {
      readonly kind: 'stream';
      readonly grantId: string;
      readonly contentType: string;
      readonly body: Readable;
    };

export interface MediaRelayOptions {
  /** The grant a token's SHA-256 belongs to, as of now. */
  readonly findGrant: (tokenSha256: string) => Promise<RelayGrant | null>;
  /** Which of these grants are still live now. */
  readonly liveGrants: (grantIds: readonly string[]) => Promise<ReadonlySet<string>>;
  /** The ffmpeg for RTSP cameras; asked on the first RTSP pull. */
  readonly ffmpegPath: () => string;
  readonly log: Logger;
}

/** Playlists are text of a few KB; anything near this is not one. */
const MAX_PLAYLIST_BYTES = 1024 * 1024;
/** Entries remembered per grant (a live playlist names a few dozen at a time). */
const REFS_PER_GRANT = 2_000;
/** Grants whose playlist entries are remembered; the oldest is forgotten first. */
const GRANTS_WITH_REFS = 5_000;

const CONTENT_TYPES: Readonly<Record<SourceDescriptor['protocol'], string>> = {
  rtsp: 'video/mp2t',
  'http-ts': 'video/mp2t',
  hls: 'video/mp2t',
  mjpeg: 'multipart/x-mixed-replace',
};

const refusal = (status: number, message: string): RelayAnswer => ({
  kind: 'error',
  status,
  message,
});

function looksLikePlaylist(contentType: string | undefined, path: string): boolean {
  return /mpegurl/i.test(contentType ?? '') || /\.m3u8?(\?|$)/i.test(path);
}

/**
 * The server's camera relay (docs/decisions/0016-camera-credentials-stay-in-the-server.md): pulls a
 * camera with the credentials on file for whoever holds a live grant's relay token, and cuts every
 * byte it is passing when that grant ends. The token is checked on every request; `recheck()` ends
 * the streams in flight whose grant was revoked or lapsed. No timers inside: the app calls
 * `recheck()` when events are committed and every second, tests when they choose.
 */
export class MediaRelay {
  private readonly held = new Map<string, Set<() => void>>();
  /**
   * The playlist entries served to each grant: only these may be fetched through `/u/<ref>`, so a
   * grant opens the camera's video and not the rest of its web interface (settings, users) with
   * the credentials on file.
   */
  private readonly refs = new Map<string, Set<string>>();
  private readonly log: Logger;

  constructor(private readonly options: MediaRelayOptions) {
    this.log = options.log.child({ component: 'relay' });
  }

  /** How many streams are passing bytes now (tests and the bench read it). */
  get openStreams(): number {
    let n = 0;
    for (const set of this.held.values()) n += set.size;
    return n;
  }

  /**
   * Answers `/v1/relay/<token>/<variant>` (ref null) or `.../u/<ref>` (an HLS playlist's entry).
   * `signal` aborts the pull when the client goes away.
   */
  async open(
    token: string,
    variant: RelayVariant,
    ref: string | null,
    signal: AbortSignal,
  ): Promise<RelayAnswer> {
    const grant = await this.options.findGrant(relayTokenSha256(token));
    if (!grant) return refusal(404, 'No such relay path.');
    if (grant.ended) return refusal(410, `This camera can no longer be pulled: ${grant.ended}.`);
    const source = grant.source;
    const cameraUrl = variant === 'sub' ? source.substreamUrl : source.url;
    if (!cameraUrl) return refusal(404, 'This camera has no substream.');
    try {
      if (source.protocol === 'rtsp') {
        if (ref !== null) return refusal(404, 'An RTSP camera has one stream path.');
        return await this.pullRtsp(grant, cameraUrl, signal);
      }
      if (source.protocol === 'hls')
        return await this.pullHls(grant, token, variant, cameraUrl, ref, signal);
      if (ref !== null) return refusal(404, 'Only HLS cameras have more than one path.');
      const { url, username, password } = splitCredentials(cameraUrl, source);
      const res = await openUpstream(url, { username, password }, signal);
      return {
        kind: 'stream',
        grantId: grant.grantId,
        contentType: res.headers['content-type'] ?? CONTENT_TYPES[source.protocol],
        body: res,
      };
    } catch (err) {
      if (err instanceof UpstreamError) {
        this.log.warn(
          { cameraId: grant.cameraId, status: err.status, why: err.message },
          'camera pull failed',
        );
        return refusal(err.status, `The camera could not be pulled: ${err.message}.`);
      }
      if (signal.aborted) return refusal(499, 'The client went away.');
      throw err;
    }
  }

  private async pullRtsp(
    grant: RelayGrant,
    cameraUrl: string,
    signal: AbortSignal,
  ): Promise<RelayAnswer> {
    const { url, username, password } = splitCredentials(cameraUrl, grant.source);
    // The URL setters percent-encode what userinfo cannot hold (`@`, `:`, `/`), as ffmpeg expects.
    if (username) url.username = username;
    if (password) url.password = password;
    const body = await remuxRtsp(
      this.options.ffmpegPath(),
      url.toString(),
      [username, password].filter((s) => s.length > 0),
      signal,
      this.log.child({ cameraId: grant.cameraId }),
    );
    return { kind: 'stream', grantId: grant.grantId, contentType: 'video/mp2t', body };
  }

  private async pullHls(
    grant: RelayGrant,
    token: string,
    variant: RelayVariant,
    cameraUrl: string,
    ref: string | null,
    signal: AbortSignal,
  ): Promise<RelayAnswer> {
    const { url: playlistUrl, username, password } = splitCredentials(cameraUrl, grant.source);
    let target = playlistUrl;
    if (ref !== null) {
      const pathAndQuery = decodeRelayRef(ref);
      if (!pathAndQuery) return refusal(400, 'Not a relay reference.');
      if (!this.refs.get(grant.grantId)?.has(ref)) {
        return refusal(404, "No such entry in this camera's playlist.");
      }
      target = new URL(pathAndQuery, playlistUrl.origin);
    }
    const res = await openUpstream(target, { username, password }, signal);
    if (ref === null || looksLikePlaylist(res.headers['content-type'], target.pathname)) {
      const text = (await readSmall(res, MAX_PLAYLIST_BYTES)).toString('utf8');
      const base = `/v1/relay/${token}/${variant}`;
      return {
        kind: 'playlist',
        body: rewritePlaylist(text, {
          playlistUrl: target,
          cameraOrigin: playlistUrl.origin,
          relayPath: (p) => `${base}/u/${this.allow(grant.grantId, encodeRelayRef(p))}`,
          refusedPath: `${base}/refused`,
        }),
      };
    }
    return {
      kind: 'stream',
      grantId: grant.grantId,
      contentType: res.headers['content-type'] ?? 'video/mp2t',
      body: res,
    };
  }

  private allow(grantId: string, ref: string): string {
    let set = this.refs.get(grantId);
    if (!set) {
      set = new Set();
      this.refs.set(grantId, set);
      if (this.refs.size > GRANTS_WITH_REFS) this.refs.delete(this.refs.keys().next().value!);
    }
    set.delete(ref);
    set.add(ref);
    if (set.size > REFS_PER_GRANT) set.delete(set.values().next().value!);
    return ref;
  }

  /** Keeps `cut` until the stream ends; returns the release. */
  hold(grantId: string, cut: () => void): () => void {
    let set = this.held.get(grantId);
    if (!set) {
      set = new Set();
      this.held.set(grantId, set);
    }
    set.add(cut);
    return () => {
      const s = this.held.get(grantId);
      if (!s) return;
      s.delete(cut);
      if (s.size === 0) this.held.delete(grantId);
    };
  }

  /** Cuts every stream whose grant is no longer live; returns how many it cut. */
  async recheck(): Promise<number> {
    const ids = [...this.held.keys()];
    if (ids.length === 0) return 0;
    const live = await this.options.liveGrants(ids);
    let cut = 0;
    for (const id of ids) {
      if (live.has(id)) continue;
      const set = this.held.get(id);
      this.held.delete(id);
      this.refs.delete(id);
      for (const c of set ?? []) {
        c();
        cut += 1;
      }
      this.log.info({ grantId: id }, 'grant ended: relay streams cut');
    }
    return cut;
  }

  /** Ends everything (the server is stopping). */
  cutAll(): void {
    for (const set of this.held.values()) for (const c of set) c();
    this.held.clear();
  }
}
