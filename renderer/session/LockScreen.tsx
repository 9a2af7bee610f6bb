import { useState } from 'react';
import type { LockReason } from '../../shared/api/session';
import { Field, FormError, useOneAtATime } from '../ui/GateForm';
import { useSessionStore } from './sessionStore';

const WHY: Readonly<Record<LockReason, string>> = {
  idle: 'The console locked itself after a period without input.',
  manual: 'The console was locked.',
  restart: 'The console restarted.',
  system: 'The console was locked by the system.',
};

/**
 * Re-authentication to unlock. Where policy lets the wall play on, the wall stays visible
 * behind the panel (and cannot be touched); elsewhere the video has stopped and the screen is
 * covered.
 */
export function LockScreen({
  reason,
  wallVisible,
  userName,
}: {
  readonly reason: LockReason;
  readonly wallVisible: boolean;
  readonly userName: string;
}) {
  const unlock = useSessionStore((s) => s.unlock);
  const signOut = useSessionStore((s) => s.signOut);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  const { busy, submit } = useOneAtATime(async () => {
    const r = await unlock(password);
    setPassword('');
    if (r.kind === 'failed')
      setError(r.attemptsLeft > 0 ? `${r.message} (${r.attemptsLeft} attempts left)` : r.message);
  });

  return (
    <div
      className={`lock-screen${wallVisible ? ' over-wall' : ''}`}
      data-testid="lock-screen"
      data-wall-playing={wallVisible ? 'true' : 'false'}
      role="dialog"
      aria-modal="true"
      aria-labelledby="lock-title"
    >
      <form className="gate-card" onSubmit={submit}>
        <h1 id="lock-title">Console locked</h1>
        <p>{WHY[reason]}</p>
        <p>
          {wallVisible
            ? 'The wall keeps playing, as the centre’s policy allows.'
            : 'All video has stopped, as the centre’s policy requires; it resumes on unlock.'}
        </p>
        <Field
          id="unlock-password"
          label={`Password for ${userName}`}
          data-testid="unlock-password"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <FormError error={error} testId="unlock-error" />
        <button className="btn primary" type="submit" disabled={busy} data-testid="unlock-submit">
          Unlock
        </button>
        <button type="button" className="btn ghost" onClick={() => void signOut()}>
          Sign out instead
        </button>
      </form>
    </div>
  );
}
