/**
 * Renders HLS media playlists (live LL-HLS and VOD) from the packager's segments. URIs are relative
 * so the same text works behind wf-media:// and behind the web host's /media/ route.
 */

export interface PlaylistPart {
  readonly seq: number;
  readonly durationSec: number;
  readonly independent: boolean;
}

export interface PlaylistSegment {
  readonly msn: number;
  readonly initId: number;
  readonly discontinuity: boolean;
  readonly pdtMs: number;
  readonly durationSec: number;
  readonly parts: readonly PlaylistPart[];
}

export const initUri = (initId: number): string => `init-${initId}.mp4`;
export const segmentUri = (msn: number): string => `seg-${msn}.m4s`;
export const partUri = (seq: number): string => `part-${seq}.m4s`;

const seconds = (s: number): string => s.toFixed(5);

function header(targetDurationSec: number, firstMsn: number, discontinuitySeq: number): string[] {
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${targetDurationSec}`,
    `#EXT-X-MEDIA-SEQUENCE:${firstMsn}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${discontinuitySeq}`,
  ];
}

function segmentLines(
  segment: PlaylistSegment,
  previousInitId: number | null,
  withParts: boolean,
  complete: boolean,
  /** A live playlist keeps the tag on its first segment: its discontinuity sequence excludes it. */
  tagLeadingDiscontinuity: boolean,
): string[] {
  const lines: string[] = [];
  if (segment.discontinuity && (previousInitId !== null || tagLeadingDiscontinuity)) {
    lines.push('#EXT-X-DISCONTINUITY');
  }
  if (segment.initId !== previousInitId) lines.push(`#EXT-X-MAP:URI="${initUri(segment.initId)}"`);
  lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.pdtMs).toISOString()}`);
  if (withParts) {
    for (const part of segment.parts) {
      const independent = part.independent ? ',INDEPENDENT=YES' : '';
      lines.push(
        `#EXT-X-PART:DURATION=${seconds(part.durationSec)},URI="${partUri(part.seq)}"${independent}`,
      );
    }
  }
  if (complete) lines.push(`#EXTINF:${seconds(segment.durationSec)},`, segmentUri(segment.msn));
  return lines;
}

export interface LivePlaylistInput {
  readonly targetDurationSec: number;
  readonly partTargetSec: number;
  readonly partHoldBackSec: number;
  /** Complete segments to list, oldest first. */
  readonly segments: readonly PlaylistSegment[];
  /** How many of the newest complete segments also list their parts. */
  readonly partSegments: number;
  /** The segment being filled, if it has published parts. */
  readonly open: PlaylistSegment | null;
  /** Discontinuities before the first listed segment. */
  readonly discontinuitySeq: number;
  /** The part the next request may ask for before it exists; null when the stream has ended. */
  readonly preloadPartSeq: number | null;
}

export function renderLivePlaylist(input: LivePlaylistInput): string {
  const first = input.segments[0] ?? input.open;
  const firstMsn = first ? first.msn : 0;
  const lines = header(input.targetDurationSec, firstMsn, input.discontinuitySeq);
  lines.push(
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${input.partHoldBackSec.toFixed(3)}`,
    `#EXT-X-PART-INF:PART-TARGET=${input.partTargetSec.toFixed(3)}`,
  );
  let previousInit: number | null = null;
  const partsFrom = input.segments.length - input.partSegments;
  input.segments.forEach((segment, i) => {
    lines.push(...segmentLines(segment, previousInit, i >= partsFrom, true, true));
    previousInit = segment.initId;
  });
  if (input.open && input.open.parts.length > 0) {
    lines.push(...segmentLines(input.open, previousInit, true, false, true));
  }
  if (input.preloadPartSeq !== null) {
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${partUri(input.preloadPartSeq)}"`);
  }
  return lines.join('\n') + '\n';
}

export function renderVodPlaylist(
  targetDurationSec: number,
  segments: readonly PlaylistSegment[],
  discontinuitySeq = 0,
): string {
  const lines = header(targetDurationSec, segments[0]?.msn ?? 0, discontinuitySeq);
  lines.splice(2, 0, '#EXT-X-PLAYLIST-TYPE:VOD');
  let previousInit: number | null = null;
  for (const segment of segments) {
    lines.push(...segmentLines(segment, previousInit, false, true, false));
    previousInit = segment.initId;
  }
  lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
