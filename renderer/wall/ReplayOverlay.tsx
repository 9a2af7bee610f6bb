import Hls from 'hls.js';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_RECORDING_VIEW_MS } from '../../shared/api/cameras';
import { CaseReferenceSchema } from '../../shared/domain/reasons';
import { call } from '../app/watchfloor';
import { REPLAY_HLS_CONFIG, withMediaLoader } from './hlsConfig';
import { useReasonStore } from './reasonStore';
import { keepReplayStill } from '../products/stillTray';
import { useSessionStore } from '../session/sessionStore';
import {
  clockRange,
  clockTime,
  DEFAULT_FRAME_RATE,
  frameStep,
  lastClockTime,
  replayInstant,
} from './replayClock';
import { useTileToolsStore } from './tileToolsStore';

/** Seconds of instant replay, from the gateway's ring buffer. */
export const REPLAY_SECONDS = 30;

/** How long a stretch of recordings to ask for, in minutes: up to the server's limit. */
const RECORDING_MINUTES = [1, 5, MAX_RECORDING_VIEW_MS / 60_000] as const;

/** A stretch of the camera's recordings playing instead of the buffer. */
interface RecordingStretch {
  readonly startAt: number;
  readonly endAt: number;
  readonly url: string;
}

/** The browser's own zone, where the agency's is not known yet. */
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The last 30 seconds of a tile, played over it, with the way back to live: the frame's clock time
 * in the agency's zone, a scrubber, and frame steps (docs/console.md, "Tile tools").
 */
export function ReplayOverlay({
  index,
  viewId,
  cameraId,
  cameraName,
  onClose,
}: {
  readonly index: number;
  readonly viewId: string;
  readonly cameraId: string;
  readonly cameraName: string;
  readonly onClose: () => void;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<string>('Loading the last 30 seconds…');
  /** When the replay's first frame was live, to date a still taken from it. */
  const [startAt, setStartAt] = useState<number | null>(null);
  const [endAt, setEndAt] = useState<number | null>(null);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const [paused, setPaused] = useState(false);
  /** Earlier footage from the camera's recordings, when the analyst went back past the buffer. */
  const [recording, setRecording] = useState<RecordingStretch | null>(null);
  const timeZone = useSessionStore((s) => s.agency?.timeZone) ?? LOCAL_ZONE;
  const setReplaying = useTileToolsStore((s) => s.setReplaying);
  const stepRequest = useTileToolsStore((s) =>
    s.frameStepRequest.index === index ? s.frameStepRequest : null,
  );

  useEffect(() => {
    setReplaying(index, true);
    return () => setReplaying(index, false);
  }, [index, setReplaying]);

  const step = (dir: -1 | 1) => {
    const video = videoRef.current;
    if (!video || !Number.isFinite(video.duration)) return;
    video.pause();
    video.currentTime = frameStep(video.currentTime, dir, video.duration, DEFAULT_FRAME_RATE);
  };
  useEffect(() => {
    if (stepRequest && stepRequest.n > 0) step(stepRequest.step);
    // Each request is acted on once, when it arrives.
  }, [stepRequest?.n]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const read = () => {
      setPosition(video.currentTime);
      setDuration(Number.isFinite(video.duration) ? video.duration : 0);
      setPaused(video.paused);
    };
    const names = ['timeupdate', 'seeked', 'durationchange', 'pause', 'play'] as const;
    for (const n of names) video.addEventListener(n, read);
    return () => {
      for (const n of names) video.removeEventListener(n, read);
    };
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!recording || !video) return;
    // The recorder's MP4 plays as it comes, with the browser's own player.
    setStatus('');
    setStartAt(recording.startAt);
    setEndAt(recording.endAt);
    video.src = recording.url;
    void video.play().catch(() => undefined);
    return () => {
      video.removeAttribute('src');
      video.load();
    };
  }, [recording]);

  useEffect(() => {
    if (recording) return;
    let hls: Hls | null = null;
    let cancelled = false;
    setStatus('Loading the last 30 seconds…');
    void call('views.replay', { viewId, seconds: REPLAY_SECONDS }).then((r) => {
      const video = videoRef.current;
      if (cancelled || !video) return;
      if (!r.ok) return setStatus(r.error.message);
      if (r.value.kind === 'refused') return setStatus(r.value.message);
      setStatus('');
      setStartAt(Date.parse(r.value.startAt));
      setEndAt(Date.parse(r.value.endAt));
      if (!Hls.isSupported()) {
        video.src = r.value.playlistUrl;
      } else {
        hls = new Hls(withMediaLoader(REPLAY_HLS_CONFIG));
        hls.loadSource(r.value.playlistUrl);
        hls.attachMedia(video);
      }
      void video.play().catch(() => undefined);
    });
    return () => {
      cancelled = true;
      hls?.destroy();
    };
  }, [viewId, recording]);

  return (
    <div className="replay" data-testid="tile-replay">
      <div className="replay-bar">
        <strong>{recording ? '⏮ Recordings' : '⟲ Replay'}</strong>
        <span
          className="replay-clock"
          data-testid="replay-clock"
          title={`Time of the frame shown (${timeZone})`}
        >
          {startAt === null ? '--:--:--' : clockTime(replayInstant(startAt, position), timeZone)}
        </span>
        <span className="replay-range" data-testid="replay-range">
          {startAt !== null && endAt !== null
            ? clockRange(startAt, endAt, timeZone)
            : `last ${REPLAY_SECONDS} s`}{' '}
          · {cameraName}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          disabled={startAt === null}
          title="Keep this frame with the working case, and for the next product"
          data-testid="tile-replay-still"
          onClick={() => {
            const video = videoRef.current;
            if (video && startAt !== null)
              void keepReplayStill(
                video,
                recording ? { cameraId } : { viewId },
                cameraName,
                new Date(startAt + video.currentTime * 1000),
              );
          }}
        >
          📷 Still
        </button>
        <button
          type="button"
          className="btn small"
          onClick={onClose}
          data-testid="tile-replay-close"
        >
          Back to live
        </button>
      </div>
      {status && <div className="tile-message">{status}</div>}
      <video ref={videoRef} muted playsInline aria-label={`Replay of ${cameraName}`} />
      <div className="replay-controls">
        <button
          type="button"
          className="btn small"
          aria-label="One frame back"
          title="One frame back (,)"
          data-testid="replay-step-back"
          disabled={startAt === null}
          onClick={() => step(-1)}
        >
          ◀❘
        </button>
        <button
          type="button"
          className="btn small"
          aria-label={paused ? 'Play' : 'Pause'}
          data-testid="replay-play"
          disabled={startAt === null}
          onClick={() => {
            const video = videoRef.current;
            if (!video) return;
            if (video.paused) void video.play().catch(() => undefined);
            else video.pause();
          }}
        >
          {paused ? '▶' : '❚❚'}
        </button>
        <button
          type="button"
          className="btn small"
          aria-label="One frame forward"
          title="One frame forward (.)"
          data-testid="replay-step-forward"
          disabled={startAt === null}
          onClick={() => step(1)}
        >
          ❘▶
        </button>
        <input
          type="range"
          className="replay-scrubber"
          data-testid="replay-scrubber"
          aria-label="Replay position"
          aria-valuetext={
            startAt === null ? undefined : clockTime(replayInstant(startAt, position), timeZone)
          }
          min={0}
          max={duration || 0}
          step={1 / DEFAULT_FRAME_RATE}
          value={Math.min(position, duration || 0)}
          disabled={startAt === null || duration === 0}
          onChange={(e) => {
            const video = videoRef.current;
            if (video) video.currentTime = Number(e.target.value);
          }}
        />
      </div>
      <div className="replay-footer">
        {recording ? (
          <p className="replay-reach" data-testid="replay-reach">
            From the camera&apos;s recordings.{' '}
            <button
              type="button"
              className="btn small"
              data-testid="replay-back-to-buffer"
              onClick={() => setRecording(null)}
            >
              ⟲ Last {REPLAY_SECONDS} s
            </button>
          </p>
        ) : (
          <p className="replay-reach" data-testid="replay-reach">
            Replay reaches back {REPLAY_SECONDS} s (the console&apos;s own buffer); earlier footage
            plays from the camera&apos;s recordings.
          </p>
        )}
        <EarlierFootage viewId={viewId} timeZone={timeZone} onPlay={setRecording} />
        {recording ? (
          <KeepAsEvidence
            what="this stretch"
            keep={(caseNumber) =>
              call('evidence.fetchRecording', {
                caseNumber,
                cameraId,
                start: new Date(recording.startAt).toISOString(),
                end: new Date(recording.endAt).toISOString(),
                reason: 'investigation_follow_up',
              }).then((r) => (r.ok ? { file: r.value } : { message: r.error.message }))
            }
          />
        ) : (
          <KeepAsEvidence
            what={`these ${REPLAY_SECONDS} s`}
            keep={(caseNumber) =>
              call('views.exportClip', { viewId, seconds: REPLAY_SECONDS, caseNumber }).then((r) =>
                !r.ok
                  ? { message: r.error.message }
                  : r.value.kind === 'refused'
                    ? { message: r.value.message }
                    : { file: r.value.file },
              )
            }
          />
        )}
      </div>
    </div>
  );
}

/**
 * Goes back past the buffer: a time of day on the agency's clock and how long, played from the
 * camera's recordings under a recordings grant (the owner's policy decides; each stretch played
 * is audited with its range on the server).
 */
function EarlierFootage({
  viewId,
  timeZone,
  onPlay,
}: {
  readonly viewId: string;
  readonly timeZone: string;
  readonly onPlay: (stretch: RecordingStretch) => void;
}) {
  const [time, setTime] = useState('');
  const [minutes, setMinutes] = useState<number>(RECORDING_MINUTES[0]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const root = useSessionStore((s) => s.info?.tipMediaRoot) ?? '/tip-media/';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const now = Date.now();
    const startMs = lastClockTime(time, timeZone, now);
    if (startMs === null) {
      setProblem('Give a time of day, such as 14:03 or 14:03:30.');
      return;
    }
    const endMs = Math.min(startMs + minutes * 60_000, now);
    if (endMs - startMs < 1000) {
      setProblem('That is now: the live picture has it.');
      return;
    }
    setBusy(true);
    setProblem(null);
    void call('views.recording', {
      viewId,
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
    })
      .then((r) => {
        if (!r.ok) return setProblem(r.error.message);
        if (r.value.kind === 'refused') return setProblem(r.value.message);
        onPlay({
          startAt: Date.parse(r.value.startAt),
          endAt: Date.parse(r.value.endAt),
          url: root + r.value.path,
        });
      })
      .finally(() => setBusy(false));
  };
  return (
    <form className="replay-keep" onSubmit={submit} data-testid="replay-earlier">
      <label>
        Earlier: from{' '}
        <input
          value={time}
          onChange={(e) => setTime(e.target.value)}
          placeholder="14:03"
          maxLength={8}
          size={8}
          aria-label={`Time of day to go back to (${timeZone})`}
          data-testid="replay-earlier-time"
        />
      </label>{' '}
      <label>
        for{' '}
        <select
          value={minutes}
          onChange={(e) => setMinutes(Number(e.target.value))}
          aria-label="How long to play"
          data-testid="replay-earlier-minutes"
        >
          {RECORDING_MINUTES.map((m) => (
            <option key={m} value={m}>
              {m} min
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" className="btn small" disabled={busy || time.trim() === ''}>
        {busy ? 'Asking…' : 'Play recordings'}
      </button>
      {problem && (
        <span role="alert" data-testid="replay-earlier-problem">
          {problem}
        </span>
      )}
    </form>
  );
}

/** What keeping a clip said: the file kept, or why not. */
type KeepOutcome =
  | { readonly kind: 'kept'; readonly caseNumber: string; readonly sha256: string }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Keeps what the replay shows with a case's evidence (docs/evidence.md): the buffer's 30 seconds
 * as a clip the gateway exports, or the stretch of recordings fetched by the server from the
 * camera's recorder. Either way the owner's policy on recordings decides and the server keeps the
 * file with its chain of custody. The case defaults to the working case.
 */
function KeepAsEvidence({
  what,
  keep,
}: {
  readonly what: string;
  readonly keep: (
    caseNumber: string,
  ) => Promise<{ readonly file: { readonly sha256: string } } | { readonly message: string }>;
}) {
  const working = useReasonStore((s) => s.memory.current?.reference ?? '');
  const [caseNumber, setCaseNumber] = useState(working);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<KeepOutcome | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = CaseReferenceSchema.safeParse(caseNumber);
    if (!parsed.success) {
      setOutcome({ kind: 'failed', message: parsed.error.issues[0]?.message ?? 'Check the case.' });
      return;
    }
    setBusy(true);
    void keep(parsed.data)
      .then((r) =>
        setOutcome(
          'file' in r
            ? { kind: 'kept', caseNumber: parsed.data, sha256: r.file.sha256 }
            : { kind: 'failed', message: r.message },
        ),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="replay-keep" onSubmit={submit} data-testid="replay-keep">
      <label>
        Keep {what} with case{' '}
        <input
          value={caseNumber}
          onChange={(e) => setCaseNumber(e.target.value)}
          maxLength={40}
          placeholder="2026-004512"
          aria-label={`Case number to keep ${what} with`}
        />
      </label>
      <button type="submit" className="btn small" disabled={busy || caseNumber.trim() === ''}>
        {busy ? 'Keeping…' : 'Keep as evidence'}
      </button>
      {outcome?.kind === 'kept' && (
        <span role="status" data-testid="replay-kept">
          Kept with case {outcome.caseNumber} (SHA-256 <code>{outcome.sha256.slice(0, 12)}…</code>)
        </span>
      )}
      {outcome?.kind === 'failed' && <span role="alert">{outcome.message}</span>}
    </form>
  );
}
