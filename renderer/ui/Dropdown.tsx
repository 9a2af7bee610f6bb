import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useDismiss } from './useDismiss';

/**
 * A button that opens a menu under it, closed by a click outside, Escape, or an item that calls
 * `close`. The menu's items are the caller's.
 */
export function Dropdown({
  label,
  testId,
  buttonClass = 'btn small',
  children,
}: {
  readonly label: ReactNode;
  readonly testId: string;
  readonly buttonClass?: string;
  readonly children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLSpanElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  return (
    <span className="anchor" ref={ref}>
      <button
        type="button"
        className={buttonClass}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid={testId}
      >
        {label}
      </button>
      {open && (
        <div
          className="menu"
          style={{ right: 0, top: '110%' }}
          role="menu"
          onKeyDown={(e) => e.key === 'Escape' && close()}
        >
          {children(close)}
        </div>
      )}
    </span>
  );
}
