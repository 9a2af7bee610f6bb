/**
 * The stream gateway: camera source -> ffmpeg -> fragmented MP4 -> LL-HLS, for the console's video
 * tiles. Plain Node (no `electron`): the Electron shell serves it through
 * `protocol.handle('wf-media', ...)`, the web host through an HTTP route; both are thin adapters
 * over `handleMediaRequest`.
 *
 * Contract (kept stable for the shells):
 *
 *   const gateway = new StreamGateway({ dataDir, ffmpegPath?, clock?, logger? });
 *   const { mediaId, playlistPath } = gateway.open(sourceKey, descriptor, 'sub', viewerId);
 *     // one ffmpeg per (sourceKey, variant), shared and reference-counted by viewerId
 *   gateway.subscribe(mediaId, (state) => ...)   // starting | live | reconnecting | failed | revoked | stopped
 *   gateway.release(mediaId, viewerId)            // the stream stops lingerMs after its last viewer
 *   await gateway.revoke(mediaId, reason)         // grant revoked: stops at once, viewers told why
 *   gateway.replay(mediaId, 30)                   // -> { replayId, playlistPath } (VOD, last 30 s)
 *   await gateway.exportClip({ mediaId, fromMs, toMs, camera, grant, user })  // MP4 + SHA-256 manifest
 *   await gateway.snapshot(mediaId)               // JPEG of the newest frame
 *   await gateway.handleMediaRequest(path, query, signal)  // -> MediaResponse
 *   await gateway.close()                         // ends every ffmpeg
 *
 * Media paths are `<opaque id>/<name>` (live.m3u8, replay.m3u8, init-N.mp4, seg-N.m4s, part-N.m4s,
 * snapshot.jpg), relative to the media root: `wf-media://media/<path>` in Electron, `/media/<path>`
 * on the web host. Playlists use relative URIs, so either root works.
 *
 * Adapters: `toWebResponse(answer)` for Electron's protocol handler; `serveMediaHttp(gateway, req,
 * res)` for node:http / node:http2; `startMediaServer(...)` for a standalone HTTP/2 media server.
 *
 *   protocol.handle('wf-media', async (request) => {
 *     const url = new URL(request.url); // wf-media://media/<id>/<name>?_HLS_msn=..
 *     return toWebResponse(
 *       await gateway.handleMediaRequest(url.pathname, url.searchParams, request.signal),
 *     );
 *   });
 *
 * Errors: `open` throws a ZodError for an invalid descriptor or variant; `replay`, `exportClip` and
 * `snapshot` throw UnknownMediaError, ClipRangeError or SnapshotError with a message for a person;
 * `handleMediaRequest` never throws for bad input: it answers 400/404/410/503 with a message.
 * docs/video.md describes the whole video path, the simulator, the serve command and the bench.
 */
export { StreamGateway, UnknownMediaError } from './streamGateway';
export type {
  OpenedStream,
  Replay,
  Snapshot,
  StateListener,
  StreamGatewayOptions,
  StreamInfo,
} from './streamGateway';
export { StreamStateSchema, StreamVariantSchema, isFinal } from './streamState';
export type { StreamState, StreamVariant } from './streamState';
export { ClipRangeError, ClipRequestSchema } from './clipExport';
export type { ClipExport, ClipManifest, ClipRequest } from './clipExport';
export { SnapshotError } from './snapshot';
export { errorResponse, parseMediaPath, toWebResponse } from './mediaRequest';
export type { MediaQuery, MediaResponse } from './mediaRequest';
export { serveMediaHttp } from './mediaHttp';
export { serveMediaSocket, type MediaAnswerer } from './mediaSocket';
export { startMediaServer } from './mediaServer';
export type { MediaServer, MediaServerOptions, MediaTransport } from './mediaServer';
export { resolveFfmpegPath } from './ffmpegPath';
export { trackedChildCount } from './processRegistry';
export { runGatewayServe } from './serveCommand';
