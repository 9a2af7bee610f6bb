import { spawnSync } from 'node:child_process';

/** What a `wf` run printed and how it ended. */
export interface WfRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * `npm run wf -- ARGS` as an operator runs it, from the sources, on the embedded database in
 * `dataDir` (no server holds it), with `input` on its standard input.
 */
export function runWf(dataDir: string, args: readonly string[], input = ''): WfRun {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/wf.ts', ...args], {
    env: { ...process.env, WF_DATA_DIR: dataDir, WF_DATABASE_URL: '' },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}
