import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Builds what `npm start` is about to run when it is missing or older than its sources: the
 * renderer (dist/renderer) always, the Electron bundles (dist/electron) when Electron will run.
 */

function newestMtime(path: string): number {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function stale(output: string, sources: readonly string[]): boolean {
  const built = newestMtime(output);
  if (built === 0) return true;
  return sources.some((s) => newestMtime(s) > built);
}

function run(root: string, args: readonly string[], what: string): void {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

/** Returns true when it built something. */
export function ensureRendererBuilt(root: string, say: (line: string) => void): boolean {
  const sources = ['renderer', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) =>
    join(root, p),
  );
  if (!stale(join(root, 'dist/renderer/index.html'), sources)) return false;
  say('building the console (vite build)');
  const require = createRequire(import.meta.url);
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  run(root, [vite, 'build', '--logLevel', 'warn'], 'the console build');
  return true;
}

export function ensureElectronBuilt(root: string, say: (line: string) => void): boolean {
  const sources = ['electron', 'shared', 'scripts/buildElectron.ts'].map((p) => join(root, p));
  if (!stale(join(root, 'dist/electron/main/main.js'), sources)) return false;
  say('building the Electron shell');
  run(root, ['--import', 'tsx', join(root, 'scripts/buildElectron.ts')], 'the Electron build');
  return true;
}
