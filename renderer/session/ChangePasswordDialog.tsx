import { useEffect, useState } from 'react';
import { Field, FormError, useOneAtATime } from '../ui/GateForm';
import { notify } from '../ui/noticeStore';
import { useUiStore } from '../ui/uiStore';
import { useSessionStore } from './sessionStore';

/** Twelve characters; the server checks the rest (common and breached passwords, runs, names). */
export const MIN_LENGTH = 12;

/**
 * Changing one's own password, from the user menu. The current password is asked for, the new
 * one twice; the server's reply says what is wrong with it in words. Other consoles where the
 * person is signed in are signed out by the change.
 */
export function ChangePasswordDialog() {
  const open = useUiStore((s) => s.changePasswordOpen);
  const setOpen = useUiStore((s) => s.setChangePassword);
  const changePassword = useSessionStore((s) => s.changePassword);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<'currentPassword' | 'newPassword' | null>(null);

  useEffect(() => {
    if (!open) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setError(null);
      setInvalid(null);
    }
  }, [open]);

  const { busy, submit } = useOneAtATime(async () => {
    if ([...next].length < MIN_LENGTH) {
      setInvalid('newPassword');
      return setError(
        `A password has at least ${MIN_LENGTH} characters; a few words make a good one.`,
      );
    }
    if (next !== repeat) {
      setInvalid('newPassword');
      return setError('The two new passwords are not the same.');
    }
    const r = await changePassword(current, next);
    if (r.kind === 'failed') {
      setInvalid(r.field);
      setError(r.message);
      return;
    }
    notify(
      'info',
      r.otherSessionsEnded > 0
        ? `Password changed. Signed out of ${r.otherSessionsEnded} other session${r.otherSessionsEnded === 1 ? '' : 's'}.`
        : 'Password changed.',
    );
    setOpen(false);
  });

  if (!open) return null;
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="change-password-title"
        data-testid="change-password-dialog"
        onSubmit={submit}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      >
        <h2 id="change-password-title">Change your password</h2>
        <Field
          id="current-password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          autoFocus
          data-testid="current-password"
          aria-invalid={invalid === 'currentPassword'}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
        />
        <Field
          id="new-password"
          label="New password"
          hint={`At least ${MIN_LENGTH} characters. A few unrelated words work well; no character rules. Common and breached passwords are refused.`}
          type="password"
          autoComplete="new-password"
          data-testid="new-password"
          aria-invalid={invalid === 'newPassword'}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          required
        />
        <Field
          id="repeat-password"
          label="New password again"
          type="password"
          autoComplete="new-password"
          data-testid="repeat-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          required
        />
        <FormError error={error} testId="change-password-error" />
        <div className="actions">
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            disabled={busy}
            data-testid="change-password-submit"
          >
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </div>
  );
}
