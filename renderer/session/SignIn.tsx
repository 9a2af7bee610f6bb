import { useState } from 'react';
import { Field, FormError, useOneAtATime } from '../ui/GateForm';
import { useSessionStore } from './sessionStore';

/** Username and password, then the authenticator code when the account has one. */
export function SignIn({ message }: { readonly message: string | null }) {
  const signIn = useSessionStore((s) => s.signIn);
  const verifyTotp = useSessionStore((s) => s.verifyTotp);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [error, setError] = useState<string | null>(message);

  const { busy, submit } = useOneAtATime(async () => {
    setError(null);
    const r = step === 'password' ? await signIn(username, password) : await verifyTotp(code);
    if (r.kind === 'totp_required') {
      setStep('totp');
      setError(null);
    } else if (r.kind === 'failed') {
      setError(r.message);
      if (step === 'totp') setCode('');
    }
  });

  return (
    <main className="gate">
      <form
        className="gate-card"
        onSubmit={submit}
        data-testid="sign-in"
        aria-labelledby="signin-title"
      >
        <h1 id="signin-title">Watchfloor</h1>
        <p>Real Time Crime Center console. Sign in to start your shift.</p>
        {step === 'password' ? (
          <>
            <Field
              id="signin-username"
              label="Username"
              data-testid="sign-in-username"
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
            <Field
              id="signin-password"
              label="Password"
              data-testid="sign-in-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </>
        ) : (
          <Field
            id="signin-totp"
            label="Authenticator code"
            hint="The 6 digits your authenticator app shows for Watchfloor."
            data-testid="sign-in-totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            required
          />
        )}
        <FormError error={error} testId="sign-in-error" />
        <button className="btn primary" type="submit" disabled={busy} data-testid="sign-in-submit">
          {busy ? 'Signing in…' : step === 'password' ? 'Sign in' : 'Verify code'}
        </button>
        {step === 'totp' && (
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              setStep('password');
              setPassword('');
              setError(null);
            }}
          >
            Start again
          </button>
        )}
        <p className="gate-note">
          Every sign-in and every camera view is recorded in the audit trail. Five wrong attempts
          lock the account for ten minutes.
        </p>
      </form>
    </main>
  );
}
