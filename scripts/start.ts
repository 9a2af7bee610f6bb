import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { CameraSimulator } from '../electron/host/simulator/index';
import { projectRoot } from '../electron/host/projectRoot';
import { ProcessGroup } from './processGroup';
import { ensureElectronBuilt, ensureRendererBuilt } from './consoleBuild';
import { startDemoTipLine, type DemoTipLine } from '../server/demo/demoTipLine';
import { startDemoCad } from '../server/demo/demoCad';
import { startDemoAlerts } from '../server/demo/demoAlerts';
import { readLaunchSettings } from './launchSettings';
import { MailCatcher } from '../server/mail/mailCatcher';
import { intFromEnv } from '../server/config';

/**
 * `npm start`: the RTCC backend with the embedded demo site, the demo camera simulator, and the
 * workstation host (the Electron console where an Electron runtime is installed, the web
 * console otherwise). Ctrl-C or SIGTERM stops everything it started. Needs no terminal.
 */
const root = projectRoot(import.meta.url);
/**
 * Built (`npm start` runs dist/node/scripts/start.js), the processes it starts are built too and
 * run on plain node; run from source through tsx (development), they run from source the same way.
 */
const built = import.meta.url.endsWith('.js');
function program(source: string): readonly string[] {
  return built
    ? [join(root, 'dist/node', source.replace(/\.ts$/, '.js'))]
    : ['--import', 'tsx', join(root, source)];
}
const env = process.env;

function say(line: string): void {
  process.stdout.write(`watchfloor: ${line}\n`);
}

/**
 * The Electron binary, if this machine has one. The npm package alone does not: it downloads the
 * runtime on first use, which must not happen here, so look for it without asking the package.
 */
function electronBinary(): string | null {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist');
  const binary = join(dist, relative);
  return relative && existsSync(binary) ? binary : null;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer at ${url} in time`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const {
    dataDir,
    serverHost,
    serverPort,
    serverUrl,
    consoleHost,
    consolePort,
    consoleScheme,
    simulatorPort,
  } = readLaunchSettings(env, root);
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    WF_DATA_DIR: dataDir,
    WF_SERVER_HOST: serverHost,
    WF_SERVER_PORT: String(serverPort),
    WF_CONSOLE_HOST: consoleHost,
    WF_CONSOLE_PORT: String(consolePort),
    WF_SIMULATOR_URL: env.WF_SIMULATOR_URL || `http://127.0.0.1:${simulatorPort}`,
    WF_SERVER_URL: env.WF_SERVER_URL || serverUrl,
    WF_LOG_LEVEL: env.WF_LOG_LEVEL || 'warn',
  };
  let exiting = false;
  const group = new ProcessGroup((name, code) => {
    if (exiting) return;
    say(`${name} stopped unexpectedly (exit ${code}); stopping everything`);
    void shutdown(1);
  });
  let simulator: { stop(): Promise<void> } | null = null;
  let tipLine: DemoTipLine | null = null;
  let cad: Awaited<ReturnType<typeof startDemoCad>> = null;
  let sensors: Awaited<ReturnType<typeof startDemoAlerts>> = null;
  let mailCatcher: MailCatcher | null = null;

  const shutdown = async (code: number) => {
    if (exiting) return;
    exiting = true;
    say('stopping');
    cad?.replay.stop();
    sensors?.replay.stop();
    await group.stopAll();
    await simulator?.stop().catch(() => undefined);
    await tipLine?.stop().catch(() => undefined);
    await mailCatcher?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  say(
    `data in ${dataDir}${env.WF_DATABASE_URL ? ' (database: WF_DATABASE_URL)' : ' (embedded database)'}`,
  );
  simulator = await startSimulator(simulatorPort, dataDir);
  // A real SMS account configured by the user is used as is; otherwise the demo's own tip line.
  if (!env.WF_TWILIO_AUTH_TOKEN) {
    tipLine = await startDemoTipLine({
      mediaDir: join(dataDir, 'demo-tips'),
      serverUrl,
      publicUrl: env.WF_PUBLIC_URL || serverUrl,
      log: say,
    });
  }
  // A real SMTP server configured by the user is used as is; otherwise the demo's own catcher,
  // which keeps every email the portal sends (docs/portal.md).
  let mailEnv: NodeJS.ProcessEnv = {};
  if (!env.WF_SMTP_URL) {
    mailCatcher = await MailCatcher.start({
      dir: join(dataDir, 'demo-mail'),
      pagePort: intFromEnv(env, 'WF_DEMO_MAIL_PORT', 7435),
    });
    mailEnv = { WF_SMTP_URL: mailCatcher.smtpUrl, WF_MAIL_FROM: 'Demo RTCC <rtcc@demo.invalid>' };
  }
  // The provider's token goes to the server alone, not to the console.
  const serverEnv = { ...childEnv, ...tipLine?.env, ...mailEnv };
  group.start('server', process.execPath, [...program('server/main.ts'), '--demo'], serverEnv);
  await waitForHealth(serverUrl, 300_000);
  say(`RTCC server up at ${serverUrl}`);
  say(`public portal at ${serverUrl}/portal/`);
  if (mailCatcher) {
    say(
      `the demo's emails (the portal's confirmation links): ${mailCatcher.pageUrl}, also as .eml files in ${join(dataDir, 'demo-mail')}`,
    );
  }
  if (tipLine) {
    await tipLine.startTipster();
    await tipLine.writeHandoff(dataDir);
    say(tipLine.summary);
  }
  // WF_DEMO_CAD_SPEED: how much faster than real time the day of calls runs (0: no CAD calls).
  const speed = Number(env.WF_DEMO_CAD_SPEED || 12);
  cad = await startDemoCad({
    serverUrl,
    dataDir,
    speed: Number.isFinite(speed) ? speed : 12,
    log: say,
  });
  if (cad) say(cad.summary);
  // The demo's sensors run at the CAD's pace (WF_DEMO_ALERTS_SPEED=0 turns them off alone).
  const sensorSpeed = Number(env.WF_DEMO_ALERTS_SPEED ?? (Number.isFinite(speed) ? speed : 12));
  sensors = await startDemoAlerts({
    serverUrl,
    dataDir,
    simulatorUrl: childEnv.WF_SIMULATOR_URL ?? `http://127.0.0.1:${simulatorPort}`,
    speed: Number.isFinite(sensorSpeed) ? sensorSpeed : 12,
    // The drone flies over the demo CAD's most urgent open call.
    incidentScene: () => cad?.replay.hottest() ?? null,
    log: say,
  });
  if (sensors) say(sensors.summary);

  ensureRendererBuilt(root, say);
  const electron = electronBinary();
  const electronMain = join(root, 'dist/electron/main/main.js');
  if (electron) ensureElectronBuilt(root, say);
  if (electron && existsSync(electronMain)) {
    say('Electron runtime found: opening the Electron console');
    group.start('console', electron, [electronMain], childEnv);
  } else {
    group.start('console', process.execPath, program('electron/web/main.ts'), childEnv);
    say(
      `no Electron runtime on this machine: web console at ${consoleScheme}://${consoleHost}:${consolePort} (Ctrl-C stops everything)`,
    );
  }
}

/** The demo's camera simulator runs in this process; its ffmpeg children are its own. */
async function startSimulator(port: number, dataDir: string): Promise<{ stop(): Promise<void> }> {
  const sim = new CameraSimulator({
    dataDir: join(dataDir, 'simulator'),
    host: '127.0.0.1',
    port,
    logger: pino({ level: env.WF_LOG_LEVEL || 'warn' }),
  });
  await sim.start();
  say(`demo camera simulator at http://127.0.0.1:${port}`);
  return sim;
}

main().catch((err: unknown) => {
  process.stderr.write(`watchfloor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
