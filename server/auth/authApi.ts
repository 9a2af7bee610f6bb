import { z } from 'zod';
import { RoleSchema } from '../../shared/domain/roles';
import { RefreshTokenSchema } from './refreshTokens';
import { TotpCodeSchema } from './totp';

/** The request and reply shapes of /v1/auth. None of them ever carries a stored secret. */

export const LoginBodySchema = z.object({
  // Usernames are lower-case; a user who types "JSmith" means "jsmith".
  username: z
    .string()
    .trim()
    .min(1, 'enter a username')
    .max(64, 'a username has at most 64 characters')
    .toLowerCase(),
  password: z.string().min(1, 'enter a password').max(256, 'a password has at most 256 characters'),
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

export const TokensSchema = z.object({
  accessToken: z.string().describe('Bearer token for every other request; lives 5 minutes'),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string().describe('Single use: each refresh returns its successor'),
  refreshTokenExpiresAt: z.string().describe('End of the shift: sign in again after this'),
  sessionId: z.string(),
});

export const LoginReplySchema = TokensSchema.extend({ user: SignedInUserSchema });

export const RefreshBodySchema = z.object({ refreshToken: RefreshTokenSchema });

export const RefreshReplySchema = TokensSchema;

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

export const TotpEnrollReplySchema = z.object({
  secret: z.string().describe('Base32; enter it in an authenticator app, or scan the URI'),
  otpauthUri: z.string(),
});

export const TotpConfirmBodySchema = z.object({ code: TotpCodeSchema });

export const TotpConfirmReplySchema = z.object({ totpEnrolled: z.literal(true) });
