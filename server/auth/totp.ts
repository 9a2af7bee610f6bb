import { generateSecret, generateURI, verify } from 'otplib';

/** What every authenticator app does by default: 30 s steps, 6 digits, SHA-1. */
const PERIOD_S = 30;
const DIGITS = 6;
/** One step either side, for a phone clock that is a little off. */
const TOLERANCE_S = PERIOD_S;
const ISSUER = 'Watchfloor';

export { TotpCodeSchema } from '../../shared/api/auth';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: username, secret, digits: DIGITS, period: PERIOD_S });
}

/**
 * The time step the code belongs to, if it is valid at `nowMs` and newer than the last accepted
 * step; otherwise null. Callers store the step so that the same code is never accepted twice.
 */
export async function acceptTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    digits: DIGITS,
    period: PERIOD_S,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_S,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  if (!result.valid || !('timeStep' in result)) return null;
  return result.timeStep;
}
