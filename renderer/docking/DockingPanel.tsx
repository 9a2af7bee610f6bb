import type { NearCamera } from '../../shared/domain/docking';
import { useDockingStore } from './dockingStore';

const metres = (c: NearCamera) => `${Math.round(c.distanceM)} m`;

/**
 * Beside the wall: the last dock's target, the cameras that went up, those that did not and
 * the owner's reason, and the registered cameras whose owners to contact for footage.
 */
export function DockingPanel() {
  const last = useDockingStore((s) => s.last);
  if (!last) {
    return (
      <div className="docking-panel" data-testid="docking-panel">
        <h2>Docked cameras</h2>
        <p>Nothing docked yet. Use "Dock nearest cameras" on an incident.</p>
      </div>
    );
  }
  const { nearest, refused } = last;
  const refusedIds = new Set(refused.map((r) => r.cameraId));
  return (
    <div className="docking-panel" data-testid="docking-panel">
      <h2>Docked cameras</h2>
      <p>
        <strong>{nearest.target.label}</strong>
        <br />
        <span className="muted">
          {last.rule ? `Docked by the rule "${last.rule}"` : 'Docked by hand'} · within{' '}
          {nearest.reach.radiusM} m
        </span>
      </p>
      <h3>On the wall</h3>
      <ul data-testid="docked-list">
        {nearest.docked
          .filter((c) => !refusedIds.has(c.camera.id))
          .map((c) => (
            <li key={c.camera.id}>
              {c.camera.name} · {metres(c)}
              {c.seesPoint ? ' · faces the scene' : ''}
            </li>
          ))}
      </ul>
      {(nearest.notDocked.length > 0 || refused.length > 0) && (
        <>
          <h3>Not docked</h3>
          <ul data-testid="not-docked-list">
            {nearest.notDocked.map((c) => (
              <li key={c.camera.id}>
                {c.camera.name} · {metres(c)}: {c.reason}
              </li>
            ))}
            {refused.map((r) => (
              <li key={r.cameraId}>
                {nearest.docked.find((c) => c.camera.id === r.cameraId)?.camera.name ?? r.cameraId}:{' '}
                {r.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {nearest.ownersToContact.length > 0 && (
        <>
          <h3>Owners to contact</h3>
          <ul data-testid="owners-to-contact">
            {nearest.ownersToContact.map((c) => (
              <li key={c.camera.id}>
                {c.camera.name} · {metres(c)}
                {c.camera.retentionDays !== null ? ` · keeps ${c.camera.retentionDays} days` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
