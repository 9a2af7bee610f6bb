import { z } from 'zod';
import { PermissionSchema } from '../domain/roles';
import {
  EnrolmentCodeSchema,
  PasswordSchema,
  SignedInUserSchema,
  TotpCodeSchema,
  UsernameSchema,
} from './auth';
import { IdleLockMinutesSchema } from '../domain/idleLock';
import { hostCall } from './contract';

/** The console's session: sign-in, lock and unlock, idle lock. The host answers these itself. */
const NoArgs = z.object({}).strict();

/** The signed-in person, as the renderer may know them. */
export const ConsoleUserSchema = SignedInUserSchema.extend({
  /** What the user's role allows, so the UI can hide what would be refused. */
  permissions: z.array(PermissionSchema),
});
export type ConsoleUser = z.infer<typeof ConsoleUserSchema>;

export {
  MAX_IDLE_LOCK_MINUTES,
  MIN_IDLE_LOCK_MINUTES,
  IdleLockMinutesSchema,
} from '../domain/idleLock';

const SignedInCommon = {
  user: ConsoleUserSchema,
  /** End of the shift: the server ends the session then, whatever the activity. */
  shiftEndsAt: z.string(),
  idleLockMinutes: IdleLockMinutesSchema,
  /** Policy: whether the wall keeps playing behind the lock screen (else all video stops). */
  wallPlaysWhenLocked: z.boolean(),
};

export const LockReasonSchema = z.enum(['idle', 'manual', 'restart', 'system']);
export type LockReason = z.infer<typeof LockReasonSchema>;

/**
 * signed_out: nobody is signed in (message says why, e.g. the session reached the end of the shift).
 * active: signed in and unlocked.
 * locked: signed in, but the person must re-enter the password (idle, manual lock, a restart).
 * offline: signed in, but the server cannot be reached; the host retries with backoff.
 */
export const SessionStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed_out'), message: z.string().nullable() }),
  z.object({ status: z.literal('active'), ...SignedInCommon }),
  z.object({ status: z.literal('locked'), reason: LockReasonSchema, ...SignedInCommon }),
  z.object({
    status: z.literal('offline'),
    ...SignedInCommon,
    /** Retries so far since the server was last reached. */
    attempt: z.number().int().nonnegative(),
    /** When the next retry is due, or null while one is under way. */
    retryAt: z.string().nullable(),
    message: z.string(),
  }),
]);
export type SessionState = z.infer<typeof SessionStateSchema>;
export type SessionStatus = SessionState['status'];

export const SignInArgsSchema = z
  .object({
    username: UsernameSchema,
    password: PasswordSchema,
    totpCode: TotpCodeSchema.optional(),
  })
  .strict();

/**
 * A refused sign-in is an outcome, not an error. On `totp_required` the host holds the pending
 * sign-in for a few minutes, so `session.verifyTotp` needs only the code. On
 * `enrolment_required` (a correct password, no authenticator yet) the host holds the session
 * that may only enrol: `session.beginEnrolment` and `session.confirmEnrolment` finish it.
 */
export const SignInResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('signed_in'), state: SessionStateSchema }),
  z.object({ kind: z.literal('totp_required'), message: z.string() }),
  z.object({ kind: z.literal('enrolment_required'), message: z.string() }),
  /**
   * The password (and code) were right but the password is a temporary one an administrator
   * handed over: `session.chooseFirstPassword` replaces it and completes the sign-in.
   */
  z.object({ kind: z.literal('password_change_required'), message: z.string() }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);

/**
 * The authenticator secret to show while enrolling (as a QR code and as text). It is the one
 * secret the page is given, because the person must copy it into their app; it is useless
 * without the password, and the server keeps it pending until a code from the app confirms it.
 */
export const EnrolmentStartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scan'), secret: z.string(), otpauthUri: z.string() }),
  /** `restart`: the enrolment-only session is over (expired, locked): sign in again. */
  z.object({ kind: z.literal('failed'), message: z.string(), restart: z.boolean() }),
]);
export type EnrolmentStart = z.infer<typeof EnrolmentStartSchema>;

export const PasswordChangeResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changed'), otherSessionsEnded: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('failed'),
    message: z.string(),
    field: z.enum(['currentPassword', 'newPassword']).nullable(),
  }),
]);
export type PasswordChangeResult = z.infer<typeof PasswordChangeResultSchema>;
export type SignInResult = z.infer<typeof SignInResultSchema>;

export const UnlockResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unlocked'), state: SessionStateSchema }),
  z.object({
    kind: z.literal('failed'),
    message: z.string(),
    /** Wrong passwords left before the host signs out altogether. */
    attemptsLeft: z.number().int().nonnegative(),
  }),
  /** Too many wrong passwords, or the session ended meanwhile: sign in again. */
  z.object({ kind: z.literal('signed_out'), state: SessionStateSchema }),
]);
export type UnlockResult = z.infer<typeof UnlockResultSchema>;

export const SESSION_CALLS = {
  'session.state': hostCall(NoArgs, SessionStateSchema),
  'session.signIn': hostCall(SignInArgsSchema, SignInResultSchema),
  'session.verifyTotp': hostCall(
    z.object({ totpCode: TotpCodeSchema }).strict(),
    SignInResultSchema,
  ),
  'session.unlock': hostCall(z.object({ password: PasswordSchema }).strict(), UnlockResultSchema),
  'session.beginEnrolment': hostCall(
    z.object({ enrolmentCode: EnrolmentCodeSchema }).strict(),
    EnrolmentStartSchema,
  ),
  'session.confirmEnrolment': hostCall(
    z.object({ totpCode: TotpCodeSchema }).strict(),
    SignInResultSchema,
  ),
  /** The temporary password's replacement at sign-in; the host sends the temporary one. */
  'session.chooseFirstPassword': hostCall(
    z.object({ newPassword: PasswordSchema }).strict(),
    SignInResultSchema,
  ),
  'session.changePassword': hostCall(
    z.object({ currentPassword: PasswordSchema, newPassword: PasswordSchema }).strict(),
    PasswordChangeResultSchema,
  ),
  'session.lock': hostCall(NoArgs, SessionStateSchema),
  'session.signOut': hostCall(NoArgs, SessionStateSchema),
  /** The person did something (key, pointer): pushes the idle lock back. */
  'session.activity': hostCall(NoArgs, z.object({ idleLockAt: z.string().nullable() })),
  /** Lock sooner than the default; never later than 30 minutes. */
  'session.setIdleLock': hostCall(
    z.object({ minutes: IdleLockMinutesSchema }).strict(),
    SessionStateSchema,
  ),
};
