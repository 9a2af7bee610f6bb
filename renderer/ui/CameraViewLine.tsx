import { VIEW_REASON_LABELS, type ViewReasonCode } from '../../shared/domain/reasons';
import { agencyTime } from '../tips/tipLabels';

/** One camera view as the audit trail gives it for an incident or a case. */
export interface CameraViewEntry {
  readonly at: string;
  readonly cameraId: string;
  readonly cameraName: string | null;
  readonly viewer: string | null;
  readonly reason: string;
}

/** A view in a list: when, which camera, who, and why. */
export function CameraViewLine({
  view,
  timeZone,
}: {
  readonly view: CameraViewEntry;
  readonly timeZone: string | undefined;
}) {
  return (
    <li data-camera-id={view.cameraId}>
      {agencyTime(view.at, timeZone)} · <strong>{view.cameraName ?? view.cameraId}</strong>
      <span className="muted">
        {' '}
        · {view.viewer ?? 'unknown'} ·{' '}
        {VIEW_REASON_LABELS[view.reason as ViewReasonCode] ?? view.reason}
      </span>
    </li>
  );
}
