import { useSessionStore } from '../session/sessionStore';
import type { RegistrationCamera, RegistrationSummary } from '../../shared/api/registrations';
import { useRegistrationsStore } from './registrationsStore';

function when(iso: string, timeZone: string | undefined): string {
  return new Date(iso).toLocaleString('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
}

function LookAlike({
  registration,
  camera,
}: {
  registration: RegistrationSummary;
  camera: RegistrationCamera;
}) {
  const settle = useRegistrationsStore((s) => s.settle);
  const settling = useRegistrationsStore((s) => s.settling) === camera.cameraId;
  const dup = camera.duplicateOf;
  if (!dup) return null;
  if (camera.resolution !== null) {
    return (
      <span className="muted" data-testid="registration-settled">
        {' '}
        ·{' '}
        {camera.resolution === 'merged'
          ? `merged: "${dup.name}" retired`
          : `kept apart from "${dup.name}"`}
      </span>
    );
  }
  if (camera.status !== 'active') return null;
  return (
    <div className="registration-duplicate" data-testid="registration-duplicate">
      <p>
        Looks like <strong>{dup.name}</strong>, {dup.distanceM} m away, same owner.
      </p>
      <button
        type="button"
        className="btn"
        disabled={settling}
        onClick={() => void settle(registration.id, camera.cameraId, 'merged')}
      >
        Merge (retire the older entry)
      </button>{' '}
      <button
        type="button"
        className="btn"
        disabled={settling}
        onClick={() => void settle(registration.id, camera.cameraId, 'distinct')}
      >
        Keep both
      </button>
    </div>
  );
}

/** Camera registrations from the public portal, with look-alikes for an administrator to settle. */
export function RegistrationsPanel() {
  const registrations = useRegistrationsStore((s) => s.registrations);
  const openOnly = useRegistrationsStore((s) => s.openOnly);
  const error = useRegistrationsStore((s) => s.error);
  const setOpenOnly = useRegistrationsStore((s) => s.setOpenOnly);
  const load = useRegistrationsStore((s) => s.load);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  return (
    <div className="registrations" data-testid="registrations">
      <div className="on-shift-head">
        <h2>Camera registrations</h2>
        <button type="button" className="btn" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <label>
        <input
          type="checkbox"
          checked={openOnly}
          onChange={(e) => void setOpenOnly(e.target.checked)}
          data-testid="registrations-open-only"
        />{' '}
        Only look-alikes to settle
      </label>
      {error && <p className="error-text">{error}</p>}
      {registrations.length === 0 && !error ? (
        <p>{openOnly ? 'No look-alike to settle.' : 'No registration from the portal yet.'}</p>
      ) : (
        <ul>
          {registrations.map((r) => (
            <li key={r.id} data-testid="registration">
              <strong>{r.ownerKind === 'business' ? 'Business' : 'Resident'}</strong>
              <span className="muted">
                {' '}
                · confirmed {when(r.confirmedAt, timeZone)}
                {r.withdrawnAt && ` · withdrawn ${when(r.withdrawnAt, timeZone)}`}
              </span>
              <ul>
                {r.cameras.map((c) => (
                  <li key={c.cameraId}>
                    {c.name}
                    {c.status === 'retired' && <span className="muted"> · retired</span>}
                    <LookAlike registration={r} camera={c} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
