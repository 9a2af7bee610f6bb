import Hls from 'hls.js';
import { useEffect, useRef, useState } from 'react';
import { call } from '../app/watchfloor';
import { REPLAY_HLS_CONFIG, withMediaLoader } from './hlsConfig';

/** Seconds of instant replay, from the gateway's ring buffer. */
export const REPLAY_SECONDS = 30;

/** The last 30 seconds of a tile, played over it, with the way back to live. */
export function ReplayOverlay({
  viewId,
  cameraName,
  onClose,
}: {
  readonly viewId: string;
  readonly cameraName: string;
  readonly onClose: () => void;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<string>('Loading the last 30 seconds…');

  useEffect(() => {
    let hls: Hls | null = null;
    let cancelled = false;
    void call('views.replay', { viewId, seconds: REPLAY_SECONDS }).then((r) => {
      const video = videoRef.current;
      if (cancelled || !video) return;
      if (!r.ok) return setStatus(r.error.message);
      if (r.value.kind === 'refused') return setStatus(r.value.message);
      setStatus('');
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
  }, [viewId]);

  return (
    <div className="replay" data-testid="tile-replay">
      <div className="replay-bar">
        <strong>⟲ Replay</strong>
        <span>
          last {REPLAY_SECONDS} s · {cameraName}
        </span>
        <span className="spacer" />
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
      <video ref={videoRef} muted playsInline controls aria-label={`Replay of ${cameraName}`} />
    </div>
  );
}
