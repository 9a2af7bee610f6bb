import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBuilt, ensureRendererBuilt } from '../../scripts/consoleBuild';

/**
 * `npm run test:electron`: the `_electron` suite (test/electron/app) against the built Electron
 * console. Where no Electron runtime is installed (these build machines: the runtime is a
 * download they cannot make), it prints a SKIPPED line and a summary counting the suite as
 * skipped, and exits 0; the same scenarios run through the web console in Chromium as part of
 * `npm test`. WF_ELECTRON_REQUIRED=1 (a machine that has the runtime) makes a skip a failure.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string) => process.stdout.write(`test:electron: ${line}\n`);

/**
 * The runtime, or why there is none. Read from electron's path.txt: requiring the package would
 * try to download the runtime.
 */
function electronBinary(): { readonly path: string } | { readonly missing: string } {
  const named = process.env.WF_ELECTRON_PATH;
  if (named)
    return existsSync(named)
      ? { path: named }
      : { missing: `WF_ELECTRON_PATH ${named} does not exist` };
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { missing: 'the electron package has not downloaded it' };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist'), relative);
  return relative && existsSync(binary) ? { path: binary } : { missing: `${binary} is absent` };
}

/** The suite's files, so a skip says how much was not run. */
function suiteFiles(): number {
  const dir = join(root, 'test/electron/app');
  return readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).length;
}

const runtime = electronBinary();
if ('missing' in runtime) {
  const files = suiteFiles();
  say(`SKIPPED: no Electron runtime (${runtime.missing}); the _electron suite was not run.`);
  say(
    `summary: 0 run, ${files} skipped (test/electron/app, ${files} file${files === 1 ? '' : 's'})`,
  );
  say(
    'Install one (npm install electron with network access) or set WF_ELECTRON_PATH, then rerun.',
  );
  process.exit(process.env.WF_ELECTRON_REQUIRED === '1' ? 1 : 0);
}
const electron = runtime.path;
ensureRendererBuilt(root, say);
ensureElectronBuilt(root, say);
const vitest = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', join(root, 'test/electron/vitest.electron.config.ts')],
  { cwd: root, stdio: 'inherit', env: { ...process.env, WF_ELECTRON_PATH: electron } },
);
process.exit(result.status ?? 1);
