/**
 * The request and reply shapes of /v1/auth. They live in shared/api/auth.ts, since a console host
 * sends and reads every one of them.
 */
export {
  ChangePasswordBodySchema,
  ChangePasswordReplySchema,
  LoginBodySchema,
  LoginReplySchema,
  LogoutReplySchema,
  MeReplySchema,
  RefreshBodySchema,
  RefreshReplySchema,
  SignedInUserSchema,
  TokensSchema,
  TotpConfirmBodySchema,
  TotpConfirmReplySchema,
  TotpEnrollBodySchema,
  TotpEnrollReplySchema,
  type LoginBody,
} from '../../shared/api/auth';
