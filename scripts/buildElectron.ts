import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * `npm run build:electron`: bundles the Electron main process (ESM, dependencies left to
 * node_modules) and the preload (one CommonJS file with everything inlined, since a sandboxed
 * preload can require nothing but `electron`) into dist/electron/. Runs without an Electron
 * binary, so CI checks that the shell builds even where it cannot start.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const dependencies = Object.keys(pkg.dependencies ?? {});
const isDependency = (id: string) => dependencies.some((d) => id === d || id.startsWith(`${d}/`));

async function main(): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'electron/main/main.ts'),
      outDir: join(root, 'dist/electron/main'),
      emptyOutDir: true,
      target: 'node22',
      sourcemap: true,
      rollupOptions: {
        external: (id) => id === 'electron' || nodeBuiltins.includes(id) || isDependency(id),
        output: { format: 'es', entryFileNames: 'main.js' },
      },
    },
  });
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: join(root, 'electron/preload/preload.ts'),
      outDir: join(root, 'dist/electron/preload'),
      emptyOutDir: true,
      target: 'node22',
      rollupOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: 'preload.cjs' },
      },
    },
  });
  process.stdout.write(
    'watchfloor: built dist/electron/main/main.js and dist/electron/preload/preload.cjs\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`watchfloor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
