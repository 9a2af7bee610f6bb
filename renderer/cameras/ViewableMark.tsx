import type { Camera } from './cameraStore';
import { useViewableStore, viewability } from './viewableNow';

/**
 * Whether a camera can be viewed at this minute, as symbol and word, with the owner's reason
 * when it cannot: shown wherever a camera is offered, before anyone commits to it.
 */
export function ViewableMark({
  camera,
  compact = false,
}: {
  readonly camera: Camera;
  /** Shorter words, for narrow lists. */
  readonly compact?: boolean;
}) {
  const blocked = useViewableStore((s) => s.blocked);
  if (camera.kind === 'registered') return null;
  const { viewable, reason } = viewability(camera, blocked);
  return (
    <span
      className={`viewable-mark ${viewable ? 'now' : 'closed'}`}
      title={reason ?? 'Can be viewed now'}
      data-testid="viewable-mark"
      data-viewable={viewable}
    >
      {viewable ? '● ' : '○ '}
      {compact ? (viewable ? 'Viewable' : 'Not now') : viewable ? 'Viewable now' : 'Not shared now'}
    </span>
  );
}
