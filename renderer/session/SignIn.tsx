import { useState } from 'react';
import { Field, FormError, useOneAtATime } from '../ui/GateForm';
import { MIN_LENGTH } from './ChangePasswordDialog';
import { QrCode } from './QrCode';
import type { SignInResult } from '../../shared/api/session';
import { useSessionStore } from './sessionStore';

type Step =
  | { readonly kind: 'password' }
  | { readonly kind: 'totp' }
  /** A correct password for an account with no authenticator: the administrator's code next. */
  | { readonly kind: 'enrol-code'; readonly intro: string }
  | { readonly kind: 'enrol-scan'; readonly secret: string; readonly otpauthUri: string }
  /** The password was a temporary one an administrator handed over: the person's own next. */
  | { readonly kind: 'new-password'; readonly intro: string };

/** The base32 key in groups of four, as people read it into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?!$)/g, '$1 ');

/**
 * Username and password; then the authenticator code when the account has one, or, at first
 * sign-in, the enrolment of an authenticator: the code an administrator handed over, the QR code
 * and key to add to the app, and a code from the app to confirm it. A temporary password is then
 * replaced by one the person chooses, before anything else opens (docs/users.md).
 */
export function SignIn({ message }: { readonly message: string | null }) {
  const signIn = useSessionStore((s) => s.signIn);
  const verifyTotp = useSessionStore((s) => s.verifyTotp);
  const beginEnrolment = useSessionStore((s) => s.beginEnrolment);
  const confirmEnrolment = useSessionStore((s) => s.confirmEnrolment);
  const chooseFirstPassword = useSessionStore((s) => s.chooseFirstPassword);
  const signOut = useSessionStore((s) => s.signOut);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrolmentCode, setEnrolmentCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<string | null>(message);

  const startAgain = () => {
    setStep({ kind: 'password' });
    setPassword('');
    setCode('');
    setEnrolmentCode('');
    setNewPassword('');
    setRepeat('');
    setError(null);
  };

  /** The steps a sign-in result leads to; false when it was refused. */
  const follow = (r: SignInResult): boolean => {
    if (r.kind === 'totp_required') setStep({ kind: 'totp' });
    else if (r.kind === 'enrolment_required') setStep({ kind: 'enrol-code', intro: r.message });
    else if (r.kind === 'password_change_required') {
      setStep({ kind: 'new-password', intro: r.message });
    } else if (r.kind === 'failed') {
      setError(r.message);
      return false;
    }
    return true;
  };

  const { busy, submit } = useOneAtATime(async () => {
    setError(null);
    switch (step.kind) {
      case 'password':
      case 'totp': {
        const r =
          step.kind === 'password' ? await signIn(username, password) : await verifyTotp(code);
        if (!follow(r) && step.kind === 'totp') setCode('');
        return;
      }
      case 'enrol-code': {
        const r = await beginEnrolment(enrolmentCode);
        if (r.kind === 'scan') {
          setStep({ kind: 'enrol-scan', secret: r.secret, otpauthUri: r.otpauthUri });
        } else if (r.restart) {
          startAgain();
          setError(r.message);
        } else setError(r.message);
        return;
      }
      case 'enrol-scan': {
        const r = await confirmEnrolment(code);
        setCode('');
        follow(r);
        return;
      }
      case 'new-password': {
        // Said here at once; the server checks the rest (common and breached passwords, runs).
        if ([...newPassword].length < MIN_LENGTH) {
          setError(
            `A password has at least ${MIN_LENGTH} characters; a few words make a good one.`,
          );
          return;
        }
        if (newPassword !== repeat) {
          setError('The two new passwords are not the same.');
          return;
        }
        follow(await chooseFirstPassword(newPassword));
        return;
      }
    }
  });

  const codeField = (label: string, hint: string) => (
    <Field
      id="signin-totp"
      label={label}
      hint={hint}
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
  );

  const submitLabel = {
    password: 'Sign in',
    totp: 'Verify code',
    'enrol-code': 'Continue',
    'enrol-scan': 'Confirm and sign in',
    'new-password': 'Save password and sign in',
  }[step.kind];

  return (
    <main className="gate">
      <form
        className="gate-card"
        onSubmit={submit}
        data-testid="sign-in"
        data-step={step.kind}
        aria-labelledby="signin-title"
      >
        <h1 id="signin-title">Watchfloor</h1>
        {step.kind === 'password' && (
          <>
            <p>Real Time Crime Center console. Sign in to start your shift.</p>
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
        )}
        {step.kind === 'totp' &&
          codeField(
            'Authenticator code',
            'The 6 digits your authenticator app shows for Watchfloor.',
          )}
        {step.kind === 'enrol-code' && (
          <>
            <h2 className="gate-step">Set up your authenticator app</h2>
            <p data-testid="enrolment-intro">{step.intro}</p>
            <Field
              id="signin-enrolment-code"
              label="Enrolment code"
              hint="Twenty letters and digits, given to you in person. Dashes and case do not matter."
              data-testid="enrolment-code"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              value={enrolmentCode}
              onChange={(e) => setEnrolmentCode(e.target.value)}
              required
            />
          </>
        )}
        {step.kind === 'enrol-scan' && (
          <>
            <h2 className="gate-step">Scan this code with your authenticator app</h2>
            <div className="enrol-qr">
              <QrCode
                text={step.otpauthUri}
                label="QR code of the authenticator key"
                testId="enrolment-qr"
              />
            </div>
            <p>
              Or type this key into the app (time-based, 6 digits):{' '}
              <code className="enrol-key" data-testid="enrolment-key">
                {grouped(step.secret)}
              </code>
            </p>
            {codeField(
              'Code from the app',
              'Enter the 6 digits the app now shows for Watchfloor to confirm it is set up.',
            )}
          </>
        )}
        {step.kind === 'new-password' && (
          <>
            <h2 className="gate-step">Choose your own password</h2>
            <p data-testid="new-password-intro">{step.intro}</p>
            <Field
              id="signin-new-password"
              label="New password"
              hint={`At least ${MIN_LENGTH} characters. A few unrelated words work well; no character rules. Common and breached passwords are refused.`}
              data-testid="sign-in-new-password"
              type="password"
              autoComplete="new-password"
              autoFocus
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              required
            />
            <Field
              id="signin-repeat-password"
              label="New password again"
              data-testid="sign-in-repeat-password"
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              required
            />
          </>
        )}
        <FormError error={error} testId="sign-in-error" />
        <button className="btn primary" type="submit" disabled={busy} data-testid="sign-in-submit">
          {busy ? 'Working…' : submitLabel}
        </button>
        {step.kind !== 'password' && (
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              // An enrolment-only session is ended on the server too.
              if (step.kind !== 'totp') void signOut();
              startAgain();
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
