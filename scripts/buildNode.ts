import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stale, takeBuildLock } from './consoleBuild';
import { buildNode, NODE_BUILD_STAMP, NODE_SOURCES } from './nodeBuild';

/**
 * `npm run build:node`, also run before `npm start`, `npm run server` and `npm run wf`: builds
 * dist/node/ when it is missing or older than its sources, and returns at once otherwise;
 * `--force` always builds.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

const isStale = () =>
  force ||
  stale(
    join(root, NODE_BUILD_STAMP),
    NODE_SOURCES.map((s) => join(root, s)),
  );

async function main(): Promise<void> {
  if (!isStale()) return;
  const release = takeBuildLock(root, 'node');
  try {
    // Another start may have built it while this one waited for the lock.
    if (!isStale()) return;
    process.stderr.write('watchfloor: building the server and tools into dist/node\n');
    await buildNode(root);
  } finally {
    release();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`watchfloor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
