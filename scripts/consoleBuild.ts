import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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

export function stale(output: string, sources: readonly string[]): boolean {
  const built = newestMtime(output);
  if (built === 0) return true;
  return sources.some((s) => newestMtime(s) > built);
}

function run(root: string, args: readonly string[], what: string): void {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

/** A lock older than this was left by a build that died; longer than any build takes. */
const STALE_LOCK_MS = 10 * 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Two starts at once (a test run starts several) must not build into the same folder together,
 * or one serves the half-emptied folder of the other: the second waits for the first's build,
 * then finds the output fresh. mkdir is the lock, as it either creates or fails atomically.
 * Returns the function that releases it.
 */
export function takeBuildLock(root: string, name: string): () => void {
  const lock = join(root, 'dist', `.${name}-build.lock`);
  mkdirSync(join(root, 'dist'), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS || Date.now() > deadline)
        rmSync(lock, { recursive: true, force: true });
      else sleepSync(250);
    }
  }
  return () => rmSync(lock, { recursive: true, force: true });
}

function buildOnce(root: string, name: string, isStale: () => boolean, build: () => void): boolean {
  if (!isStale()) return false;
  const release = takeBuildLock(root, name);
  try {
    if (!isStale()) return false;
    build();
    return true;
  } finally {
    release();
  }
}

/** Returns true when it built something. */
export function ensureRendererBuilt(root: string, say: (line: string) => void): boolean {
  const sources = ['renderer', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) =>
    join(root, p),
  );
  return buildOnce(
    root,
    'renderer',
    () => stale(join(root, 'dist/renderer/index.html'), sources),
    () => {
      say('building the console (vite build)');
      const require = createRequire(import.meta.url);
      const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
      run(root, [vite, 'build', '--logLevel', 'warn'], 'the console build');
    },
  );
}

export function ensureElectronBuilt(root: string, say: (line: string) => void): boolean {
  const sources = ['electron', 'shared', 'scripts/buildElectron.ts'].map((p) => join(root, p));
  return buildOnce(
    root,
    'electron',
    () => stale(join(root, 'dist/electron/main/main.js'), sources),
    () => {
      say('building the Electron shell');
      run(root, ['--import', 'tsx', join(root, 'scripts/buildElectron.ts')], 'the Electron build');
    },
  );
}
