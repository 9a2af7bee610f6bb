import { join, resolve } from 'node:path';
import { TWILIO_API_URL } from './tips/twilioMessages';
import { MAX_IDLE_LOCK_MINUTES } from '../shared/domain/idleLock';

/** Server settings, read once from the environment (README lists each with its default). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly logLevel: string;
  /**
   * A deployment's ceiling on the minutes of inactivity after which a session expires (CJIS
   * 5.5.5: at most 30); the agency's idle lock applies when it is stricter (server/auth/sessionIdle.ts).
   */
  readonly sessionIdleMinutes: number;
  /** The Ed25519 key that signs audit checkpoints: a file, never a database row. */
  readonly auditSigningKey: string;
  /** Where the server saves its newest checkpoint as an anchor. */
  readonly auditAnchorFile: string;
  readonly auditCheckpointMinutes: number;
  /**
   * Where the daily verification of the audit chain writes each result as an anchor file, outside
   * the database (docs/deploy.md, docs/audit-review.md); null: written nowhere but the trail.
   */
  readonly auditVerifyDir: string | null;
  readonly auditVerifyHours: number;
  /**
   * Agency policy for the second factor (CJIS 5.6.2.2). `required`: an account without an
   * authenticator reaches only the enrolment step. `optional` lets a password alone sign in.
   */
  readonly secondFactor: 'required' | 'optional';
  /** Failed sign-ins one client address may make in 10 minutes before it is answered 429. */
  readonly signInFailuresPerAddress: number;
  /** The SMS provider of the tip line (Twilio's API); null until its account and token are set. */
  readonly smsProvider: SmsProviderConfig | null;
  /** What is missing for the tip line to work, in words, when `smsProvider` is null. */
  readonly smsProviderMissing: string;
  /** The key that seals tipsters' numbers: WF_TIP_KEY, else a file beside the data. */
  readonly tipKey: string | undefined;
  readonly tipKeyFile: string;
  /** The key that seals camera credentials: WF_CAMERA_KEY, else a file beside the data. */
  readonly cameraKey: string | undefined;
  readonly cameraKeyFile: string;
  /** Where photos and videos are kept, named by their SHA-256. */
  readonly mediaDir: string;
  readonly tipMediaMaxBytes: number;
  /** Where exported evidence packages are written (docs/evidence.md). */
  readonly evidenceDir: string;
  /** The agency's Ed25519 key that signs evidence packages: a file, made on first use. */
  readonly evidenceSigningKey: string;
  /** The largest recording one fetch keeps. */
  readonly recordingMaxBytes: number;
  /** Where email goes out (docs/portal.md); null until WF_SMTP_URL is set. */
  readonly mail: MailConfig | null;
  /** The server's base URL as the public reaches it: the links in emails start with it. */
  readonly publicUrl: string;
  /** Portal form submissions one client address may make in an hour before it is answered 429. */
  readonly portalSubmissionsPerHour: number;
}

/** The SMTP server the outbox sends through, and who the mail is from. */
export interface MailConfig {
  /** smtp:// (STARTTLS when offered) or smtps:// (TLS from the start), credentials inline. */
  readonly smtpUrl: string;
  /** An address, or a name and an address: `RTCC <rtcc@city.gov>`. */
  readonly from: string;
}

const MAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** WF_SMTP_URL and WF_MAIL_FROM: both or neither; anything malformed stops the start. */
export function mailFromEnv(env: NodeJS.ProcessEnv): MailConfig | null {
  const smtpUrl = env.WF_SMTP_URL || undefined;
  const from = env.WF_MAIL_FROM?.trim() || undefined;
  if (smtpUrl === undefined) {
    if (from !== undefined) throw new Error('WF_MAIL_FROM is set but WF_SMTP_URL is not');
    return null;
  }
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('WF_SMTP_URL is an smtp:// or smtps:// URL, e.g. smtp://mail.city.gov:587');
  }
  if (!['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '') {
    throw new Error(
      `WF_SMTP_URL is an smtp:// or smtps:// URL with a host, got a ${url.protocol} URL`,
    );
  }
  if (from === undefined) throw new Error('WF_MAIL_FROM is required with WF_SMTP_URL');
  const address = /<([^<>]+)>$/.exec(from)?.[1] ?? from;
  if (!MAIL_ADDRESS.test(address) || /[\r\n]/.test(from)) {
    throw new Error(`WF_MAIL_FROM is an address or "Name <address>", got "${from}"`);
  }
  return { smtpUrl, from };
}

/** The tip line's SMS provider, as docs/tip-line.md tells an agency to set it up. */
export interface SmsProviderConfig {
  readonly accountSid: string;
  readonly authToken: string;
  /** The server's base URL as the provider sees it: the webhook signature covers it. */
  readonly publicUrl: string;
  /** Twilio's REST API (a provider double in tests and the demo). */
  readonly apiUrl: string;
  /** The tip line's number, or a messaging service, that replies are sent from. */
  readonly from: string | undefined;
  readonly messagingServiceSid: string | undefined;
}

function smsProviderFromEnv(env: NodeJS.ProcessEnv): {
  provider: SmsProviderConfig | null;
  missing: string;
} {
  const accountSid = env.WF_TWILIO_ACCOUNT_SID || undefined;
  const authToken = env.WF_TWILIO_AUTH_TOKEN || undefined;
  const publicUrl = env.WF_PUBLIC_URL || undefined;
  const missing = [
    accountSid ? null : 'WF_TWILIO_ACCOUNT_SID',
    authToken ? null : 'WF_TWILIO_AUTH_TOKEN',
    publicUrl ? null : 'WF_PUBLIC_URL',
  ].filter((m): m is string => m !== null);
  if (accountSid !== undefined && !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new Error(`WF_TWILIO_ACCOUNT_SID is "AC" and 32 hex digits, got "${accountSid}"`);
  }
  const apiUrl = (env.WF_TWILIO_API_URL || TWILIO_API_URL).replace(/\/+$/, '');
  for (const [name, value] of [
    ['WF_PUBLIC_URL', publicUrl],
    ['WF_TWILIO_API_URL', apiUrl],
  ] as const) {
    if (value !== undefined && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(value)) {
      throw new Error(`${name} is an http(s) base URL with no query, got "${value}"`);
    }
  }
  if (missing.length > 0) {
    return {
      provider: null,
      missing: `The tip line is not configured: set ${missing.join(', ')} (docs/tip-line.md).`,
    };
  }
  return {
    provider: {
      accountSid: accountSid!,
      authToken: authToken!,
      publicUrl: publicUrl!.replace(/\/+$/, ''),
      apiUrl,
      from: env.WF_TWILIO_FROM || undefined,
      messagingServiceSid: env.WF_TWILIO_MESSAGING_SERVICE_SID || undefined,
    },
    missing: '',
  };
}

/**
 * CJIS 5.5.5: a session ends after at most 30 idle minutes. The agency's idle lock (agency
 * settings) decides within that; WF_SESSION_IDLE_MINUTES may only make it stricter.
 */
export const MAX_SESSION_IDLE_MINUTES = MAX_IDLE_LOCK_MINUTES;

/** A positive integer setting; absent or empty gives the fallback, anything else is refused. */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function secondFactorFromEnv(env: NodeJS.ProcessEnv): 'required' | 'optional' {
  const raw = env.WF_SECOND_FACTOR;
  if (raw === undefined || raw === '' || raw === 'required') return 'required';
  if (raw === 'optional') return 'optional';
  throw new Error(`WF_SECOND_FACTOR is "required" or "optional", got "${raw}"`);
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = intFromEnv(env, 'WF_SERVER_PORT', 7400);
  if (port > 65535) throw new Error(`WF_SERVER_PORT must be at most 65535, got ${port}`);
  // Configurable down, never up: a higher value is refused, not silently lowered.
  const idle = intFromEnv(env, 'WF_SESSION_IDLE_MINUTES', MAX_SESSION_IDLE_MINUTES);
  if (idle > MAX_SESSION_IDLE_MINUTES) {
    throw new Error(
      `WF_SESSION_IDLE_MINUTES is at most ${MAX_SESSION_IDLE_MINUTES} (CJIS 5.5.5), got ${idle}`,
    );
  }
  const checkpointMinutes = intFromEnv(env, 'WF_AUDIT_CHECKPOINT_MINUTES', 15);
  if (checkpointMinutes > 1440) {
    throw new Error(
      `WF_AUDIT_CHECKPOINT_MINUTES must be at most 1440 (a day), got ${checkpointMinutes}`,
    );
  }
  const dataDir = resolve(env.WF_DATA_DIR || './.watchfloor');
  const sms = smsProviderFromEnv(env);
  return {
    host: env.WF_SERVER_HOST || '127.0.0.1',
    port,
    databaseUrl: env.WF_DATABASE_URL || undefined,
    dataDir,
    tlsCert: env.WF_TLS_CERT || undefined,
    tlsKey: env.WF_TLS_KEY || undefined,
    logLevel: env.WF_LOG_LEVEL || 'info',
    sessionIdleMinutes: idle,
    auditSigningKey: resolve(env.WF_AUDIT_SIGNING_KEY || join(dataDir, 'audit-signing-key.pem')),
    auditAnchorFile: join(dataDir, 'audit-anchor.json'),
    auditCheckpointMinutes: checkpointMinutes,
    auditVerifyDir:
      env.WF_AUDIT_VERIFY_DIR === 'off'
        ? null
        : resolve(env.WF_AUDIT_VERIFY_DIR || join(dataDir, 'audit-verifications')),
    auditVerifyHours: intFromEnv(env, 'WF_AUDIT_VERIFY_HOURS', 24),
    secondFactor: secondFactorFromEnv(env),
    signInFailuresPerAddress: intFromEnv(env, 'WF_SIGNIN_FAILURES_PER_ADDRESS', 30),
    smsProvider: sms.provider,
    smsProviderMissing: sms.missing,
    tipKey: env.WF_TIP_KEY || undefined,
    tipKeyFile: join(dataDir, 'tip-key'),
    cameraKey: env.WF_CAMERA_KEY || undefined,
    cameraKeyFile: join(dataDir, 'camera-key'),
    mediaDir: join(dataDir, 'media'),
    tipMediaMaxBytes: intFromEnv(env, 'WF_TIP_MEDIA_MAX_MB', 20) * 1024 * 1024,
    evidenceDir: resolve(env.WF_EVIDENCE_DIR || join(dataDir, 'evidence')),
    evidenceSigningKey: resolve(
      env.WF_EVIDENCE_SIGNING_KEY || join(dataDir, 'evidence-signing-key.pem'),
    ),
    recordingMaxBytes: intFromEnv(env, 'WF_RECORDING_MAX_MB', 4096) * 1024 * 1024,
    mail: mailFromEnv(env),
    publicUrl: (
      env.WF_PUBLIC_URL ||
      `${env.WF_TLS_CERT ? 'https' : 'http'}://${env.WF_SERVER_HOST || '127.0.0.1'}:${port}`
    ).replace(/\/+$/, ''),
    portalSubmissionsPerHour: intFromEnv(env, 'WF_PORTAL_SUBMISSIONS_PER_ADDRESS', 10),
  };
}
