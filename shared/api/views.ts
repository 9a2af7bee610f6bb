import { z } from 'zod';
import { CaseReferenceSchema, ViewReasonSchema } from '../domain/reasons';
import { CameraIdSchema, PtzCommandSchema, PtzResultSchema, recordingRangeWith } from './cameras';
import { hostCall } from './contract';
import { EvidenceFileSchema } from './evidence';

/**
 * Views: a camera on a tile. The host asks the server for a grant, runs the stream through its
 * gateway and hands the renderer an opaque playlist URL.
 */
const NoArgs = z.object({}).strict();

export const ViewVariantSchema = z.enum(['sub', 'main']);
/** `sub` for grid tiles, `main` for a maximised tile. */
export type ViewVariant = z.infer<typeof ViewVariantSchema>;

export const ViewIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a view id is the id that views.open returned');

/** What a tile shows about its video. Reasons are sentences for the operator. */
export const TileStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('starting') }),
  z.object({ kind: z.literal('live') }),
  z.object({ kind: z.literal('reconnecting'), attempt: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('failed'), reason: z.string() }),
  /** The grant was revoked (the owner's window closed, the owner withdrew): the video stopped. */
  z.object({ kind: z.literal('revoked'), reason: z.string() }),
  /** Video stopped by the console itself (locked where policy stops the wall); resumes on unlock. */
  z.object({ kind: z.literal('paused'), reason: z.string() }),
  z.object({ kind: z.literal('closed') }),
]);
export type TileState = z.infer<typeof TileStateSchema>;

export const ViewSchema = z.object({
  viewId: z.string(),
  cameraId: z.string(),
  variant: ViewVariantSchema,
  /** Opaque LL-HLS playlist URL for hls.js; changes when the variant changes or video resumes. */
  playlistUrl: z.string(),
  state: TileStateSchema,
  /** When the current grant lapses; the host renews it while the view is open. */
  grantExpiresAt: z.string(),
});
export type View = z.infer<typeof ViewSchema>;

/** The owner's policy refuses: `message` is the sentence the tile shows. */
export const ViewRefusalSchema = z.object({
  kind: z.literal('refused'),
  cameraId: z.string(),
  denial: z.enum([
    'withdrawn',
    'not_shared',
    'before_start',
    'after_end',
    'outside_window',
    'no_alarm',
  ]),
  message: z.string(),
  /** When the policy would next allow it, if it can tell. */
  nextOpen: z.string().nullable(),
});
export type ViewRefusal = z.infer<typeof ViewRefusalSchema>;

export const ViewOpenArgsSchema = z
  .object({ cameraId: CameraIdSchema, reason: ViewReasonSchema, variant: ViewVariantSchema })
  .strict();

export const ViewOpenResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), view: ViewSchema }),
  ViewRefusalSchema,
]);
export type ViewOpenResult = z.infer<typeof ViewOpenResultSchema>;

/** Instant replay: at most the gateway's ring buffer. */
export const MAX_REPLAY_SECONDS = 120;

export const ReplayResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('replay'),
    /** Opaque VOD playlist URL. */
    playlistUrl: z.string(),
    startAt: z.string(),
    endAt: z.string(),
  }),
  ViewRefusalSchema,
]);
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

export const ExportClipResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exported'), file: EvidenceFileSchema }),
  ViewRefusalSchema,
]);
export type ExportClipResult = z.infer<typeof ExportClipResultSchema>;

/**
 * A stretch of a camera's recordings to play on the tile: `path` goes under the console's record
 * media root (ConsoleInfo.tipMediaRoot), open while the recordings grant lasts.
 */
export const RecordingResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('recording'),
    path: z.string(),
    startAt: z.string(),
    endAt: z.string(),
    expiresAt: z.string(),
  }),
  ViewRefusalSchema,
]);
export type RecordingResult = z.infer<typeof RecordingResultSchema>;

/** A still kept with a case: the frame's file, and the short clip it was taken from. */
export const KeepStillResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kept'), still: EvidenceFileSchema, clip: EvidenceFileSchema }),
  ViewRefusalSchema,
]);
export type KeepStillResult = z.infer<typeof KeepStillResultSchema>;

export const SnapshotSchema = z.object({
  /** `data:image/jpeg;base64,...` */
  imageDataUrl: z.string(),
  sha256: z.string(),
  capturedAt: z.string(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** A tile's state changed, or its playlist URL did (variant switch, resume after unlock). */
export const ViewUpdateSchema = z.object({
  viewId: z.string(),
  cameraId: z.string(),
  state: TileStateSchema,
  playlistUrl: z.string().nullable(),
});
export type ViewUpdate = z.infer<typeof ViewUpdateSchema>;

export const FeedStateSchema = z.object({
  status: z.enum(['idle', 'connecting', 'replaying', 'live', 'reconnecting']),
  /** The id of the last event delivered; a reconnect resumes after it. */
  lastEventId: z.number().int().nonnegative(),
});
export type FeedState = z.infer<typeof FeedStateSchema>;

export const VIEW_CALLS = {
  'views.open': hostCall(ViewOpenArgsSchema, ViewOpenResultSchema),
  'views.setVariant': hostCall(
    z.object({ viewId: ViewIdSchema, variant: ViewVariantSchema }).strict(),
    ViewSchema,
  ),
  /** The tile shows the variant it switched to: the host lets go of the one it left. */
  'views.variantShown': hostCall(
    z.object({ viewId: ViewIdSchema }).strict(),
    z.object({ viewId: z.string() }),
  ),
  'views.close': hostCall(
    z.object({ viewId: ViewIdSchema }).strict(),
    z.object({ viewId: z.string(), closed: z.literal(true) }),
  ),
  'views.list': hostCall(NoArgs, z.object({ views: z.array(ViewSchema) })),
  'views.replay': hostCall(
    z
      .object({ viewId: ViewIdSchema, seconds: z.number().int().min(1).max(MAX_REPLAY_SECONDS) })
      .strict(),
    ReplayResultSchema,
  ),
  'views.snapshot': hostCall(z.object({ viewId: ViewIdSchema }).strict(), SnapshotSchema),
  /**
   * One PTZ step of a view's camera, under the view's own live grant: the server checks the
   * permission, the grant and the owner's policy, audits it and sends it on (docs/ptz.md).
   */
  'views.ptz': hostCall(
    z.object({ viewId: ViewIdSchema, command: PtzCommandSchema }).strict(),
    PtzResultSchema,
  ),
  /**
   * The last seconds of a view's buffer as an MP4 (the gateway's clip export), added to a case's
   * evidence on the server with its chain of custody (docs/evidence.md).
   */
  'views.exportClip': hostCall(
    z
      .object({
        viewId: ViewIdSchema,
        seconds: z.number().int().min(1).max(MAX_REPLAY_SECONDS),
        caseNumber: CaseReferenceSchema,
        pullId: z.uuid().optional(),
      })
      .strict(),
    ExportClipResultSchema,
  ),
  /**
   * A frame kept with a case's evidence (docs/evidence.md, "Stills from a tile"): the seconds
   * around `at` (a replay's frame) or the newest seconds (live) exported as a clip like
   * views.exportClip, then the still taken from that clip on the server, so the frame comes with
   * its hash, its source video and its chain of custody.
   */
  /**
   * A stretch of the camera's recordings, older than the replay buffer (docs/console.md, "Replay
   * in clock time"): a recordings grant asked for under the view's reason (the owner's policy
   * decides, audited), then the server passes the camera recorder's MP4 for the range on.
   */
  'views.recording': hostCall(recordingRangeWith({ viewId: ViewIdSchema }), RecordingResultSchema),
  'views.keepStill': hostCall(
    z
      .object({
        viewId: ViewIdSchema,
        caseNumber: CaseReferenceSchema,
        at: z.iso.datetime().optional(),
      })
      .strict(),
    KeepStillResultSchema,
  ),
};
