import { useEffect } from 'react';
import type { PtzCommand } from '../../shared/api/cameras';
import { call } from '../app/watchfloor';
import { notify } from '../ui/noticeStore';
import { useTileToolsStore } from './tileToolsStore';

/** Sends one PTZ step of a view's camera; the server decides and audits (docs/ptz.md). */
async function steer(viewId: string, command: PtzCommand): Promise<void> {
  const r = await call('views.ptz', { viewId, command });
  if (!r.ok) notify('error', r.error.message);
}

/** The keyboard's PTZ steps (Shift+arrows, Page Up/Down, Home) for the tile that can take them. */
export function usePtzRequests(index: number, viewId: string | null): void {
  const request = useTileToolsStore((s) => (s.ptzRequest.index === index ? s.ptzRequest : null));
  useEffect(() => {
    if (request && request.n > 0 && viewId) void steer(viewId, request.command);
    // Each request is acted on once, when it arrives.
  }, [request?.n]);
}

const BUTTONS: readonly { command: PtzCommand; symbol: string; label: string }[] = [
  { command: 'up', symbol: '▲', label: 'Tilt up' },
  { command: 'left', symbol: '◀', label: 'Pan left' },
  { command: 'home', symbol: '⌂', label: 'Home position' },
  { command: 'right', symbol: '▶', label: 'Pan right' },
  { command: 'down', symbol: '▼', label: 'Tilt down' },
  { command: 'zoom_in', symbol: '＋', label: 'Zoom in (optical)' },
  { command: 'zoom_out', symbol: '－', label: 'Zoom out (optical)' },
];

/** On-tile PTZ controls, shown only where the camera may be steered (ptzAccess.ts). */
export function PtzPad({
  viewId,
  tileNumber,
  cameraName,
}: {
  readonly viewId: string;
  readonly tileNumber: number;
  readonly cameraName: string;
}) {
  return (
    <div
      className="tile-ptz"
      data-testid="tile-ptz"
      role="group"
      aria-label={`PTZ control of ${cameraName}, tile ${tileNumber}`}
    >
      {BUTTONS.map((b) => (
        <button
          key={b.command}
          type="button"
          className={`btn small ptz-${b.command}`}
          aria-label={`${b.label}, tile ${tileNumber}`}
          title={`${b.label} (recorded in the audit trail)`}
          data-testid={`tile-ptz-${b.command}`}
          onClick={() => void steer(viewId, b.command)}
        >
          {b.symbol}
        </button>
      ))}
    </div>
  );
}
