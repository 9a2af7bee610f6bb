import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import type { LogLevel, MutantResult } from '@stryker-mutator/api/core';
import { MUTATION_MODULES, type MutationModule } from './modules';

/**
 * `npm run test:mutation [-- <module> ...]`: Stryker on each module that guards people and
 * evidence, one module at a time with one test process (two cores are shared), then a score table
 * and bench/results/mutation.json. Not part of `npm test` or CI: it takes minutes per module.
 * Modules not named keep their previous result in the file, so runs can be compared.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = join(root, 'bench/results/mutation.json');

interface Survivor {
  readonly line: number;
  readonly mutator: string;
  readonly replacement: string;
  readonly status: string;
}

interface ModuleScore {
  readonly module: string;
  readonly file: string;
  readonly tests: readonly string[];
  readonly mutants: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Killed and timed out over all valid mutants, in percent. */
  readonly score: number;
  readonly survivors: readonly Survivor[];
  readonly measuredAt: string;
  /** The run before this one, to compare with. */
  readonly previous?: {
    readonly score: number;
    readonly mutants: number;
    readonly measuredAt: string;
  };
}

function scoreOf(mod: MutationModule, results: readonly MutantResult[]): ModuleScore {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return {
    module: mod.name,
    file: mod.file,
    tests: mod.tests,
    mutants: valid,
    killed,
    timeout,
    survived,
    noCoverage,
    score: valid === 0 ? 100 : Math.round((1000 * (killed + timeout)) / valid) / 10,
    survivors: results
      .filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
      .map((r) => ({
        line: r.location.start.line,
        mutator: r.mutatorName,
        replacement: (r.replacement ?? '').slice(0, 120),
        status: r.status,
      })),
    measuredAt: new Date().toISOString(),
  };
}

async function runModule(mod: MutationModule): Promise<ModuleScore> {
  for (const test of mod.tests) {
    if (!existsSync(join(root, test))) throw new Error(`${mod.name}: no test file ${test}`);
  }
  process.env.WF_MUTATION_TESTS = mod.tests.join(',');
  const stryker = new Stryker({
    mutate: [mod.file],
    testRunner: 'vitest',
    vitest: { configFile: 'bench/mutation/vitest.mutation.config.ts', related: false },
    plugins: ['@stryker-mutator/vitest-runner'],
    coverageAnalysis: 'perTest',
    concurrency: 1,
    tempDirName: '.tmp/stryker',
    cleanTempDir: true,
    reporters: ['clear-text', 'progress'],
    clearTextReporter: { reportTests: false, reportMutants: true, reportScoreTable: false },
    timeoutMS: 20_000,
    logLevel: 'warn' as LogLevel,
  });
  return scoreOf(mod, await stryker.runMutationTest());
}

function table(scores: readonly ModuleScore[]): string {
  const rows = [
    ['module', 'score %', 'before %', 'mutants', 'killed', 'timeout', 'survived', 'no cover'],
    ...scores.map((s) => [
      s.module,
      s.score.toFixed(1),
      s.previous ? s.previous.score.toFixed(1) : '-',
      String(s.mutants),
      String(s.killed),
      String(s.timeout),
      String(s.survived),
      String(s.noCoverage),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))))
    .map((r) => r.join('  '))
    .join('\n');
}

async function main(names: readonly string[]): Promise<void> {
  const unknown = names.filter((n) => !MUTATION_MODULES.some((m) => m.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown module ${unknown.join(', ')}; one of ${MUTATION_MODULES.map((m) => m.name).join(', ')}`,
    );
  }
  const chosen =
    names.length === 0 ? MUTATION_MODULES : MUTATION_MODULES.filter((m) => names.includes(m.name));
  const previous: ModuleScore[] = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { modules: ModuleScore[] }).modules
    : [];
  const fresh: ModuleScore[] = [];
  for (const mod of chosen) {
    process.stdout.write(`mutation: ${mod.name} (${mod.file}) against ${mod.tests.join(', ')}\n`);
    const before = previous.find((s) => s.module === mod.name);
    const score = await runModule(mod);
    fresh.push(
      before
        ? {
            ...score,
            previous: {
              score: before.score,
              mutants: before.mutants,
              measuredAt: before.measuredAt,
            },
          }
        : score,
    );
  }
  const merged = MUTATION_MODULES.map(
    (m) => fresh.find((s) => s.module === m.name) ?? previous.find((s) => s.module === m.name),
  ).filter((s): s is ModuleScore => s !== undefined);
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({ modules: merged }, null, 2)}\n`);
  process.stdout.write(`\n${table(merged)}\n\nwritten ${RESULTS}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
