import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerContext } from '../context';
import { AgencyConfigSchema } from '../../shared/domain/agency';
import { ROLES, type Role } from '../../shared/domain/roles';
import { getAgency, setAgency } from '../agency/agencyRepository';
import { renderUnicodeCompact } from 'uqr';
import { createUser } from '../users/userChanges';
import { auditBy, SYSTEM_ACTOR } from '../audit/actor';
import { deleteEnrolmentCode } from '../auth/enrolmentCodes';
import { newTotpSecret, totpUri } from '../auth/totp';
import { findCamera, insertCameras } from '../cameras/cameraRepository';
import { cameraSecretsOf } from '../cameras/cameraSecrets';
import { DEFAULT_DEMO_COUNTS, generateDemoCameras } from './demoCameras';
import { DEMO_LPR_NAME, ensureDemoIntegrations } from './demoIntegrations';
import { demoDroneCamera } from './demoDrone';
import { ensureDemoRecordings } from './demoRecordings';
import { seedDemoCases } from './demoCases';
import { ensureDemoOwner } from './demoOwner';
import type { AgencyConfig } from '../../shared/domain/agency';
import { countAddressPoints, upsertAddressPoints } from '../addresses/addressRepository';
import { demoGeography } from './demoStreets';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets');

export interface DemoCredential {
  readonly username: string;
  readonly role: Role;
  readonly password: string;
  /** Base32 secret of the account's authenticator: add it to an app, or compute codes from it. */
  readonly totpSecret: string;
}

export interface DemoSeedOptions {
  /** Where demo-credentials.json is written (mode 600). */
  readonly dataDir: string;
  /** Base URL of the camera simulator that serves the demo's live feeds. */
  readonly simulatorUrl: string;
  readonly counts?: { registered: number; integrated: number; agency: number };
  /** How many cameras the demo's rules dock for a call (the agency file says 4). */
  readonly dockCount?: number;
}

export interface DemoSeedResult {
  /** False when the site was seeded on an earlier start (nothing is changed then). */
  readonly seeded: boolean;
  readonly credentials: readonly DemoCredential[];
  readonly credentialsFile: string;
  readonly cameras: number;
}

/**
 * The demo LPR's plate images come from the camera simulator: the agency file names its default
 * address, and a simulator elsewhere (another port) is the one allowed instead.
 */
export function withDemoMediaOrigin(agency: AgencyConfig, simulatorUrl: string): AgencyConfig {
  return {
    ...agency,
    alerts: {
      ...agency.alerts,
      mediaOrigins: {
        ...agency.alerts.mediaOrigins,
        [DEMO_LPR_NAME]: new URL(simulatorUrl).origin,
      },
    },
  };
}

export function loadDemoAgency() {
  const raw = JSON.parse(readFileSync(join(ASSETS, 'agency', 'winston-salem.json'), 'utf8'));
  return AgencyConfigSchema.parse(raw);
}

/**
 * Seeds the Winston-Salem demo site once: agency configuration, one user per role with a
 * generated password, a few hundred synthetic cameras of all three kinds, and the demo CAD's
 * integration key (demo-integrations.json). A marker row makes later starts reuse what is there.
 */
export async function seedDemoSite(
  ctx: ServerContext,
  opts: DemoSeedOptions,
): Promise<DemoSeedResult> {
  const credentialsFile = join(opts.dataDir, 'demo-credentials.json');
  const marker = await ctx.store.query("select 1 from server_secrets where name = 'demo_seeded'");
  if (marker.rowCount > 0) {
    // A site seeded before the demo had machines, or whose key file was lost, gets its keys;
    // one seeded before the demo had sensors gets its drone and its plate images' origin.
    await ensureDemoIntegrations(ctx, opts.dataDir);
    await ensureDemoSensors(ctx, opts.simulatorUrl);
    await ensureDemoRecordings(ctx, opts.simulatorUrl);
    await ensureDemoOwner(ctx);
    await ensureDemoAddresses(ctx);
    return { seeded: false, credentials: [], credentialsFile, cameras: 0 };
  }

  const demoAgency = loadDemoAgency();
  const agency = opts.dockCount
    ? AgencyConfigSchema.parse({
        ...demoAgency,
        docking: {
          ...demoAgency.docking,
          reach: {
            ...demoAgency.docking.reach,
            incident: { ...demoAgency.docking.reach.incident, count: opts.dockCount },
          },
        },
      })
    : demoAgency;
  const simulator = opts.simulatorUrl.replace(/\/$/, '');
  const sourceUrl = (slug: string, variant: 'main' | 'sub') =>
    `${simulator}/cameras/${slug}${variant === 'sub' ? '.sub' : ''}.ts`;
  // The simulator emulates PTZ by moving a window over the camera's picture (docs/ptz.md).
  const ptzSource = (slug: string) => ({
    url: `${simulator}/ptz/${slug}.ts`,
    substreamUrl: `${simulator}/ptz/${slug}.sub.ts`,
    ptzUrl: `${simulator}/ptz/${slug}`,
  });
  const cameras = generateDemoCameras(agency, {
    ...(opts.counts ?? DEFAULT_DEMO_COUNTS),
    sourceUrl,
    ptzSource,
  });
  const drone = demoDroneCamera(sourceUrl);

  await ctx.record({
    apply: async ({ tx, at }) => {
      await setAgency(tx, withDemoMediaOrigin(agency, opts.simulatorUrl), at);
      await insertCameras(
        tx,
        at,
        [...cameras.map((camera) => ({ id: randomUUID(), camera })), drone],
        cameraSecretsOf(ctx.config),
      );
      // The synthetic streets' blocks and places: every demo camera's "N00 block" address is one.
      await upsertAddressPoints(tx, at, demoGeography(agency).addressPoints);
      await tx.query("insert into server_secrets (name, value) values ('demo_seeded', $1)", [
        at.toISOString(),
      ]);
    },
    audit: auditBy(SYSTEM_ACTOR, {
      action: 'demo.seed',
      outcome: 'success',
      details: { agency: agency.name, cameras: cameras.length + 1 },
    }),
    event: {
      type: 'cameras.imported',
      payload: { source: 'demo', created: cameras.length + 1, rejected: 0 },
    },
  });

  const credentials: DemoCredential[] = [];
  const userIds = new Map<Role, string>();
  for (const role of ROLES) {
    const password = randomBytes(12).toString('base64url');
    const user = await createUser(ctx, {
      username: role,
      displayName: `Demo ${role}`,
      role,
      password,
    });
    userIds.set(role, user.id);
    const totpSecret = await enrolDemoUser(ctx, user.id, role);
    credentials.push({ username: role, role, password, totpSecret });
  }
  await seedDemoCases(
    ctx,
    {
      userId: userIds.get('lieutenant')!,
      username: 'lieutenant',
      role: 'lieutenant',
      sessionId: 'demo-seed',
    },
    userIds.get('analyst')!,
  );
  mkdirSync(opts.dataDir, { recursive: true });
  writeFileSync(credentialsFile, `${JSON.stringify({ users: credentials }, null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(credentialsFile, 0o600);
  await ensureDemoIntegrations(ctx, opts.dataDir);
  await ensureDemoRecordings(ctx, opts.simulatorUrl);
  await ensureDemoOwner(ctx);
  return { seeded: true, credentials, credentialsFile, cameras: cameras.length + 1 };
}

/** The drone camera and the demo LPR's image origin, for a site seeded before the demo had them. */
async function ensureDemoSensors(ctx: ServerContext, simulatorUrl: string): Promise<void> {
  const simulator = simulatorUrl.replace(/\/$/, '');
  const drone = demoDroneCamera(
    (slug, variant) => `${simulator}/cameras/${slug}${variant === 'sub' ? '.sub' : ''}.ts`,
  );
  const agency = await getAgency(ctx.store);
  const needsDrone = (await findCamera(ctx.store, drone.id)) === null;
  const needsOrigin = agency.demo && agency.alerts.mediaOrigins[DEMO_LPR_NAME] === undefined;
  if (!needsDrone && !needsOrigin) return;
  await ctx.record({
    apply: async ({ tx, at }) => {
      if (needsOrigin) await setAgency(tx, withDemoMediaOrigin(agency, simulatorUrl), at);
      if (needsDrone) await insertCameras(tx, at, [drone], cameraSecretsOf(ctx.config));
    },
    audit: auditBy(SYSTEM_ACTOR, {
      action: 'demo.seed',
      outcome: 'success',
      details: { drone: needsDrone, lprMediaOrigin: needsOrigin },
    }),
    event: needsDrone
      ? { type: 'cameras.imported', payload: { source: 'demo', created: 1, rejected: 0 } }
      : null,
  });
}

/** The synthetic address points, for a demo site seeded before the map could search them. */
async function ensureDemoAddresses(ctx: ServerContext): Promise<void> {
  if ((await countAddressPoints(ctx.store)) > 0) return;
  const agency = await getAgency(ctx.store);
  if (!agency.demo) return;
  const points = demoGeography(agency).addressPoints;
  await ctx.record({
    apply: ({ tx, at }) => upsertAddressPoints(tx, at, points),
    audit: auditBy(SYSTEM_ACTOR, {
      action: 'demo.seed',
      outcome: 'success',
      details: { addressPoints: points.length },
    }),
    event: null,
  });
}

/**
 * The second factor is mandatory for demo users too, so the seed enrols each one with a fresh
 * secret that it prints (there is nobody to hand an enrolment code to). Audited as such.
 */
async function enrolDemoUser(
  ctx: ServerContext,
  userId: string,
  username: string,
): Promise<string> {
  const secret = newTotpSecret();
  await ctx.record({
    apply: async ({ tx }) => {
      await tx.query('update users set totp_secret = $2 where id = $1', [userId, secret]);
      await deleteEnrolmentCode(tx, userId);
    },
    audit: auditBy(SYSTEM_ACTOR, {
      action: 'user.totp_enrolled',
      targetType: 'user',
      targetId: userId,
      outcome: 'success',
      details: { username, by: 'demo seed' },
    }),
    event: { type: 'user.updated', payload: { userId, username, totpEnrolled: true } },
  });
  return secret;
}

/**
 * The once-only announcement of the demo accounts: each password with its authenticator secret,
 * as a QR code to scan with a phone's authenticator app and as base32 text to type in.
 */
export function formatDemoCredentials(result: DemoSeedResult): string {
  const lines = [
    '',
    'Demo site seeded (Winston-Salem, synthetic data). Sign in with one of these accounts and',
    'the 6-digit code of its authenticator (scan its QR code or type its key into an app).',
    `Shown only now; kept in ${result.credentialsFile} (mode 600):`,
    '',
    '  role        username    password          authenticator key (base32)',
    ...result.credentials.map(
      (c) =>
        `  ${c.role.padEnd(11)} ${c.username.padEnd(11)} ${c.password.padEnd(17)} ${c.totpSecret}`,
    ),
    '',
  ];
  for (const c of result.credentials) {
    lines.push(`  ${c.username}: ${totpUri(c.username, c.totpSecret)}`);
    // Light modules as blocks (a dark terminal), with a quiet zone two modules wide.
    lines.push(
      ...renderUnicodeCompact(totpUri(c.username, c.totpSecret), { border: 2 }).split('\n'),
    );
    lines.push('');
  }
  return lines.join('\n');
}
