import { readFileSync } from 'node:fs';
import pino from 'pino';
import { readServerConfig } from './config';
import { openStore } from './store/openStore';
import { buildApp } from './app';
import { systemClock } from '../shared/time/clock';
import { loadAuditSigningKey } from './audit/signingKey';
import { formatDemoCredentials, seedDemoSite } from './demo/seedDemo';
import { installRejectionGuard } from './runtime/processGuards';
import { startControlChannel, type ControlChannel } from './control/controlChannel';

/**
 * `npm run server [-- --demo]`: the RTCC backend alone. Embedded PGlite in WF_DATA_DIR unless
 * WF_DATABASE_URL names a PostgreSQL server.
 */
async function main(argv: readonly string[]): Promise<void> {
  const config = readServerConfig();
  const logger = pino({
    level: config.logLevel,
    redact: [
      'req.headers.authorization',
      '*.password',
      '*.currentPassword',
      '*.newPassword',
      '*.refreshToken',
      '*.totpCode',
      '*.enrolmentCode',
    ],
  });
  // Background work runs supervised; this catches whatever still slips through (a bug), logs it
  // and keeps serving (docs/decisions/0018-supervised-background-work.md).
  installRejectionGuard(logger);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const https =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : undefined;
  // The checkpoint key stays in a file beside the data, out of the database it vouches for.
  const audit = loadAuditSigningKey(config.auditSigningKey, { create: true })!;
  logger.info(
    { keyFile: config.auditSigningKey, keyId: audit.key.keyId, created: audit.created },
    audit.created ? 'audit checkpoint key created' : 'audit checkpoint key loaded',
  );
  const app = await buildApp({
    store,
    clock: systemClock,
    config,
    logger,
    https,
    auditKey: audit.key,
  });

  // The embedded database is this process's alone: `wf` runs its commands in this process,
  // through this channel, from the moment the app is up (a demo still seeding included).
  let control: ControlChannel | null = null;
  if (store.kind === 'pglite') {
    try {
      control = await startControlChannel(app.ctx, config.dataDir);
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? err.message : err },
        'no control channel: `wf` commands on this database wait until the server stops',
      );
    }
  }

  if (argv.includes('--demo')) {
    const result = await seedDemoSite(app.ctx, {
      dataDir: config.dataDir,
      simulatorUrl: process.env.WF_SIMULATOR_URL || 'http://127.0.0.1:7430',
      // The autodock benchmark docks 1 to 16 cameras per call (bench/autodock/).
      ...(process.env.WF_DEMO_DOCK_COUNT
        ? { dockCount: Number(process.env.WF_DEMO_DOCK_COUNT) }
        : {}),
    });
    if (result.seeded) process.stdout.write(`${formatDemoCredentials(result)}\n`);
    else logger.info({ credentialsFile: result.credentialsFile }, 'demo site already seeded');
  }

  const address = await app.api.listen({ host: config.host, port: config.port });
  logger.info(
    { address, store: store.kind, dataDir: store.kind === 'pglite' ? config.dataDir : undefined },
    'Watchfloor server listening',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await control?.close().catch(() => undefined);
    await app.close().catch((err) => logger.error({ err }, 'close failed'));
    await store.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
