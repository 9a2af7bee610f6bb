import type { Incident } from '../../shared/domain/incidents';
import { dockNearest } from './dockActions';
import { useDockingStore } from './dockingStore';

/**
 * "Dock nearest cameras" for an open incident with a position: the board's rows and the
 * incident's detail both carry it. It only docks: a row it sits in is not opened by it.
 */
export function DockNearestButton({ incident }: { readonly incident: Incident }) {
  const busy = useDockingStore((s) => s.busy.has(`incident:${incident.id}`));
  if (!incident.position || incident.status === 'closed') return null;
  return (
    <button
      type="button"
      className="btn small"
      data-testid="dock-nearest"
      disabled={busy}
      title="Put the nearest cameras on the wall (pinned tiles stay)"
      onClick={(e) => {
        e.stopPropagation();
        void dockNearest('incident', incident.id);
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      {busy ? 'Docking…' : 'Dock nearest cameras'}
    </button>
  );
}
