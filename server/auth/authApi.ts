import { z } from 'zod';
import { TotpCodeSchema } from '../../shared/api/auth';

/**
 * The request and reply shapes of /v1/auth. Those a console host sends or reads live in
 * shared/api/auth.ts; the enrolment shapes, which only an administrator's tools use, stay here.
 */
export {
  LoginBodySchema,
  LoginReplySchema,
  LogoutReplySchema,
  MeReplySchema,
  RefreshBodySchema,
  RefreshReplySchema,
  SignedInUserSchema,
  TokensSchema,
  type LoginBody,
} from '../../shared/api/auth';

export const TotpEnrollReplySchema = z.object({
  secret: z.string().describe('Base32; enter it in an authenticator app, or scan the URI'),
  otpauthUri: z.string(),
});

export const TotpConfirmBodySchema = z.object({ code: TotpCodeSchema });

export const TotpConfirmReplySchema = z.object({ totpEnrolled: z.literal(true) });
