import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run lint:electron`: Electronegativity over electron/, failing on any finding of high
 * severity or above (docs/architecture.md, "The numbers"). Lower findings are printed for review and do not fail.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = join(root, '.tmp', 'electronegativity.csv');
/** The folder to check: electron/ unless named (to try the check itself on a bad sample). */
const input = resolve(process.argv[2] ?? join(root, 'electron'));
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const FAILING = new Set(['HIGH', 'CRITICAL']);

function main(): number {
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const cli = join(
    dirname(require.resolve('@doyensec/electronegativity/package.json')),
    'dist/index.js',
  );
  const run = spawnSync(
    process.execPath,
    [cli, '-i', input, '-o', out, '-r', '-v', 'false', '-e', electronVersion],
    { encoding: 'utf8', timeout: 300_000 },
  );
  let csv: string;
  try {
    csv = readFileSync(out, 'utf8');
  } catch {
    process.stderr.write(`electronegativity produced no report:\n${run.stderr}\n${run.stdout}\n`);
    return 1;
  }
  const findings = csv
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [issue, severity, confidence, file, location] = line.split(',');
      const clean = (s: string | undefined) => (s ?? '').replace(/^"|"$/g, '');
      return {
        issue: clean(issue),
        severity: clean(severity),
        confidence: clean(confidence),
        where: `${clean(file)}:${clean(location)}`,
      };
    });
  for (const f of findings) {
    process.stdout.write(
      `${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.issue} ${f.where}\n`,
    );
  }
  const failing = findings.filter((f) => FAILING.has(f.severity));
  process.stdout.write(
    `electronegativity: ${findings.length} findings, ${failing.length} of high severity\n`,
  );
  return failing.length > 0 ? 1 : 0;
}

process.exit(main());
