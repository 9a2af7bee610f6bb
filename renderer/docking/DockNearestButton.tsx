import type { DockTargetKind } from '../../shared/domain/docking';
import { dockNearest } from './dockActions';
import { useDockingStore } from './dockingStore';

/**
 * "Dock nearest cameras" for an open incident or an alert with a position: the incident board,
 * the incident's detail and the alert tray carry it. It only docks: a row it sits in is not
 * opened by it.
 */
export function DockNearestButton({
  kind,
  id,
  dockable,
}: {
  readonly kind: DockTargetKind;
  readonly id: string;
  /** False when there is nothing to dock around (no position, closed). */
  readonly dockable: boolean;
}) {
  const busy = useDockingStore((s) => s.busy.has(`${kind}:${id}`));
  if (!dockable) return null;
  return (
    <button
      type="button"
      className="btn small"
      data-testid="dock-nearest"
      disabled={busy}
      title="Put the nearest cameras on the wall (pinned tiles stay)"
      onClick={(e) => {
        e.stopPropagation();
        void dockNearest(kind, id);
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      {busy ? 'Docking…' : 'Dock nearest cameras'}
    </button>
  );
}
