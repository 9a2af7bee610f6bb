import { useEffect } from 'react';
import { useNoticeStore } from './noticeStore';

const SHOW_MS = 8_000;

export function Notices() {
  const notices = useNoticeStore((s) => s.notices);
  const dismiss = useNoticeStore((s) => s.dismiss);
  useEffect(() => {
    if (notices.length === 0) return;
    const oldest = notices[0]!;
    const t = setTimeout(() => dismiss(oldest.id), SHOW_MS);
    return () => clearTimeout(t);
  }, [notices, dismiss]);
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice ${n.tone}`}
          data-testid="notice"
          role={n.tone === 'error' ? 'alert' : 'status'}
        >
          <p>{n.text}</p>
          <button
            type="button"
            className="btn small ghost"
            aria-label="Dismiss"
            onClick={() => dismiss(n.id)}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
