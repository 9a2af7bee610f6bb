import { useEffect, useState } from 'react';
import type { Tip, TipAttachment } from '../../shared/domain/tips';
import { ATTACHMENT_STATE_TEXT } from './tipLabels';
import { fullVariant, openTipMedia, thumbnailVariant, tipMediaUrl } from './tipMedia';
import { useTipStore } from './tipStore';

/** A photo full size or a video playing, over the console; Esc or a click outside closes it. */
function MediaOverlay({
  token,
  attachment,
  onClose,
}: {
  readonly token: string;
  readonly attachment: TipAttachment;
  readonly onClose: () => void;
}) {
  useEffect(() => {
    // Capture: Esc closes this and does not also reach the wall's keys.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      e.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  const variant = fullVariant(attachment);
  const label = `Attachment ${attachment.n + 1}`;
  return (
    <div
      className="backdrop media-overlay"
      role="dialog"
      aria-modal="true"
      aria-label={label}
      data-testid="tip-media-overlay"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      {variant === null ? (
        <p className="dialog">This file cannot be shown in the console.</p>
      ) : attachment.kind === 'video' ? (
        <video
          src={tipMediaUrl(token, attachment.n, variant)}
          controls
          autoPlay
          data-testid="tip-video"
          aria-label={label}
        />
      ) : (
        <img src={tipMediaUrl(token, attachment.n, variant)} alt={label} data-testid="tip-photo" />
      )}
      <button type="button" className="btn close" onClick={onClose} autoFocus>
        Close <kbd>Esc</kbd>
      </button>
    </div>
  );
}

function Thumbnail({
  token,
  a,
  onOpen,
}: {
  readonly token: string | null;
  readonly a: TipAttachment;
  readonly onOpen: () => void;
}) {
  const variant = thumbnailVariant(a);
  const label = `${a.kind === 'video' ? 'Video' : a.kind === 'image' ? 'Photo' : 'File'} ${a.n + 1}`;
  return (
    <li className={`tip-thumb att-${a.state}`} data-testid="tip-attachment" data-state={a.state}>
      {token && a.state === 'stored' && fullVariant(a) !== null ? (
        <button type="button" className="thumb-button" onClick={onOpen} title={`Open ${label}`}>
          {variant ? (
            <img src={tipMediaUrl(token, a.n, variant)} alt={label} loading="lazy" />
          ) : (
            <span className="thumb-placeholder">{label}</span>
          )}
          {a.kind === 'video' && <span className="play-mark">▶</span>}
        </button>
      ) : (
        <span className="thumb-placeholder">{label}</span>
      )}
      <span className="att-state">
        {ATTACHMENT_STATE_TEXT[a.state]}
        {a.state === 'failed' && a.failure ? `: ${a.failure}` : ''}
      </span>
    </li>
  );
}

/**
 * A tip's photos and videos: closed until the analyst opens them for a reason (audited), then
 * thumbnails; a photo opens full size, a video plays.
 */
export function TipMediaStrip({ tip }: { readonly tip: Tip }) {
  const media = useTipStore((s) => s.media);
  const mediaError = useTipStore((s) => s.mediaError);
  const [opening, setOpening] = useState(false);
  const [shown, setShown] = useState<number | null>(null);
  if (tip.attachments.length === 0) return null;
  const token = media?.tipId === tip.id ? media.token : null;
  const open = async () => {
    setOpening(true);
    await openTipMedia(tip).finally(() => setOpening(false));
  };
  const current = tip.attachments.find((a) => a.n === shown);
  return (
    <section className="tip-media" aria-label="Photos and videos">
      {!token && (
        <button
          type="button"
          className="btn"
          onClick={() => void open()}
          disabled={opening}
          data-testid="tip-open-media"
        >
          Open photos and videos…
        </button>
      )}
      {mediaError && <p className="error-text">{mediaError}</p>}
      <ul className="tip-thumbs">
        {tip.attachments.map((a) => (
          <Thumbnail key={a.n} token={token} a={a} onOpen={() => setShown(a.n)} />
        ))}
      </ul>
      {token && current && (
        <MediaOverlay token={token} attachment={current} onClose={() => setShown(null)} />
      )}
    </section>
  );
}
