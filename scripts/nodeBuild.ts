import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The Node processes as JavaScript, so that `npm start`, `npm run server` and `npm run wf` run
 * on plain `node` with no TypeScript loader in a production process (docs/decisions/0017).
 * Every module keeps its place in the tree under dist/node/ (server/main.ts becomes
 * dist/node/server/main.js); packages stay in node_modules. The files the server reads beside
 * its code, migrations and agency assets, are copied to the same relative places.
 */
export const NODE_OUT_DIR = 'dist/node';

/** The programs; everything they import comes along. */
export const NODE_ENTRIES: Readonly<Record<string, string>> = {
  'server/main': 'server/main.ts',
  'electron/web/main': 'electron/web/main.ts',
  'scripts/start': 'scripts/start.ts',
  'scripts/wf': 'scripts/wf.ts',
};

/** What the build is made from: a change in any of these makes it stale. */
export const NODE_SOURCES: readonly string[] = [
  'server',
  'electron/host',
  'electron/web',
  'shared',
  'scripts',
  'assets',
  'package-lock.json',
];

/** Written last: a build that died half way leaves no stamp and counts as stale. */
export const NODE_BUILD_STAMP = join(NODE_OUT_DIR, '.built');

export async function buildNode(root: string): Promise<void> {
  const outDir = join(root, NODE_OUT_DIR);
  rmSync(outDir, { recursive: true, force: true });
  // Loaded only to build: the check that finds the build fresh must stay quick.
  const { build } = await import('vite');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      target: 'node20',
      sourcemap: true,
      minify: false,
      rollupOptions: {
        input: Object.fromEntries(
          Object.entries(NODE_ENTRIES).map(([name, file]) => [name, join(root, file)]),
        ),
        // Packages (and node: built-ins) are loaded from node_modules at run time.
        external: (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0'),
        output: {
          format: 'es',
          preserveModules: true,
          preserveModulesRoot: root,
          entryFileNames: '[name].js',
        },
      },
    },
  });
  cpSync(join(root, 'server/migrations'), join(outDir, 'server/migrations'), { recursive: true });
  cpSync(join(root, 'assets'), join(outDir, 'assets'), { recursive: true });
  writeFileSync(join(root, NODE_BUILD_STAMP), `${new Date().toISOString()}\n`);
}
