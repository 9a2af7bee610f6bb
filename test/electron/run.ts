import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBuilt, ensureRendererBuilt } from '../../scripts/consoleBuild';

/**
 * `npm run test:electron`: the `_electron` suite (test/electron/app) against the built Electron
 * console. Where no Electron binary is installed (these build machines: the runtime is a
 * download they cannot make), it says so and exits 0 without running anything; the same
 * scenarios run through the web console in Chromium as part of `npm test`.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string) => process.stdout.write(`test:electron: ${line}\n`);

/** Read from electron's path.txt: requiring the package would try to download the runtime. */
function electronBinary(): string | null {
  if (process.env.WF_ELECTRON_PATH) return process.env.WF_ELECTRON_PATH;
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist'), relative);
  return relative && existsSync(binary) ? binary : null;
}

const electron = electronBinary();
if (!electron) {
  say('no Electron runtime on this machine: the _electron suite was not run.');
  say(
    'Install one (npm install electron with network access) or set WF_ELECTRON_PATH, then rerun.',
  );
  process.exit(0);
}
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
