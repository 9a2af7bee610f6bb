import { z } from 'zod';
import { RoleSchema } from '../domain/roles';
import { defineEvent, theUser } from './contract';

/**
 * The request and reply shapes of /v1/auth, shared by the server that answers them and the host
 * that sends them. None of them ever carries a stored secret; the tokens they carry stay in the
 * host and never reach the renderer.
 */

export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'a code is the 6 digits your authenticator app shows');

export const RefreshTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'a refresh token is 43 characters of base64url');

export const UsernameSchema = z
  .string()
  .trim()
  .min(1, 'enter a username')
  .max(64, 'a username has at most 64 characters')
  // Usernames are lower-case; a user who types "JSmith" means "jsmith".
  .toLowerCase();

export const PasswordSchema = z
  .string()
  .min(1, 'enter a password')
  .max(256, 'a password has at most 256 characters');

export const LoginBodySchema = z.object({
  username: UsernameSchema,
  password: PasswordSchema,
  totpCode: TotpCodeSchema.optional(),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const SignedInUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  totpEnrolled: z.boolean(),
});
export type SignedInUser = z.infer<typeof SignedInUserSchema>;

export const TokensSchema = z.object({
  accessToken: z.string().describe('Bearer token for every other request; lives 5 minutes'),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string().describe('Single use: each refresh returns its successor'),
  refreshTokenExpiresAt: z.string().describe('End of the shift: sign in again after this'),
  sessionId: z.string(),
});
export type Tokens = z.infer<typeof TokensSchema>;

/**
 * `complete`: a full sign-in. `enrolment`: the password was right but the account has no
 * authenticator yet and agency policy requires one, so these tokens reach only the enrolment
 * step (POST /v1/auth/totp/enroll and /confirm) and sign-out; everything else answers 403
 * `enrolment_required`. `password_change`: the password is a temporary one an administrator
 * handed over, so these tokens reach only POST /v1/auth/password (which then answers with a
 * complete sign-in) and sign-out; everything else answers 403 `password_change_required`.
 */
export const SignInStageSchema = z.enum(['complete', 'enrolment', 'password_change']);
export type SignInStage = z.infer<typeof SignInStageSchema>;

export const LoginReplySchema = TokensSchema.extend({
  user: SignedInUserSchema,
  stage: SignInStageSchema,
});
export type LoginReply = z.infer<typeof LoginReplySchema>;

export const RefreshBodySchema = z.object({ refreshToken: RefreshTokenSchema });

export const RefreshReplySchema = TokensSchema;
export type RefreshReply = z.infer<typeof RefreshReplySchema>;

export const LogoutReplySchema = z.object({ sessionId: z.string(), revokedAt: z.string() });

export const MeReplySchema = z.object({
  user: SignedInUserSchema,
  session: z.object({
    id: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string().describe('Sign in again after this, whatever the activity'),
    idleMinutes: z.number().int().describe('The session ends after this long without a request'),
  }),
});
export type MeReply = z.infer<typeof MeReplySchema>;

/** The one-time code an administrator handed over: 20 symbols, dashes and spaces ignored. */
export const EnrolmentCodeSchema = z
  .string()
  .trim()
  .min(20, 'an enrolment code is the 20 letters and digits your administrator gave you')
  .max(40, 'an enrolment code is the 20 letters and digits your administrator gave you')
  .regex(/^[0-9A-Za-z -]+$/, 'an enrolment code is letters, digits and dashes');

export const TotpEnrollBodySchema = z.object({ enrolmentCode: EnrolmentCodeSchema });

export const TotpEnrollReplySchema = z.object({
  secret: z.string().describe('Base32; enter it in an authenticator app, or scan the URI'),
  otpauthUri: z.string(),
});
export type TotpEnrollReply = z.infer<typeof TotpEnrollReplySchema>;

export const TotpConfirmBodySchema = z.object({ code: TotpCodeSchema });

/** Enrolment done: a complete sign-in replaces the enrolment-only session. */
export const TotpConfirmReplySchema = LoginReplySchema;

export const ChangePasswordBodySchema = z.object({
  currentPassword: PasswordSchema,
  newPassword: PasswordSchema,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

export const ChangePasswordReplySchema = z.object({
  changedAt: z.string(),
  otherSessionsEnded: z.number().int().describe("The user's other sessions, now ended"),
  signIn: LoginReplySchema.optional().describe(
    'When the change replaced a temporary password at sign-in: the session that could only ' +
      'change the password has ended, and these are the tokens of the complete sign-in',
  ),
});

/** Machine-readable codes of 401 replies that a client acts on. */
export const AUTH_ERROR_CODES = {
  /** The password was right; ask for the authenticator code and sign in again with it. */
  totpRequired: 'totp_required',
  signInFailed: 'sign_in_failed',
  /** The session is over (revoked, idle, end of shift): sign in again. */
  sessionEnded: 'session_ended',
  /** 403: this session may only enrol an authenticator. */
  enrolmentRequired: 'enrolment_required',
  /** 403: this session may only replace the temporary password (POST /v1/auth/password). */
  passwordChangeRequired: 'password_change_required',
  /** 429: too many failed sign-ins from this address or for this account; see Retry-After. */
  tooManyAttempts: 'too_many_attempts',
} as const;

/** A session ended on the server (sign-out elsewhere, refresh-token reuse, shift over). */
export const SESSION_EVENTS = {
  'session.revoked': defineEvent(
    z.object({ sessionId: z.string(), userId: z.string(), reason: z.string() }),
    {
      priority: 'routine',
      audience: [theUser((p) => p.userId)],
      notShown: 'the host of that session signs out and the sign-in screen says why',
    },
  ),
};
