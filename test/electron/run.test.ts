import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm run test:electron` on a machine without the runtime: a skip a CI log shows and counts. */
describe('test:electron without an Electron runtime', () => {
  const empty = mkdtempSync(join(tmpdir(), 'wf-no-electron-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  function run(env: NodeJS.ProcessEnv) {
    const { WF_ELECTRON_PATH: _named, ...rest } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', 'test/electron/run.ts'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...rest, ELECTRON_OVERRIDE_DIST_PATH: empty, ...env },
    });
  }

  it('says SKIPPED with the reason and counts the suite as skipped, exiting 0', () => {
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^test:electron: SKIPPED: no Electron runtime \(.+\)/m);
    expect(result.stdout).toMatch(/^test:electron: summary: 0 run, 1 skipped/m);
  });

  it('fails instead where the runtime is required', () => {
    const result = run({ WF_ELECTRON_REQUIRED: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('SKIPPED: no Electron runtime');
  });

  it('names a WF_ELECTRON_PATH that does not exist', () => {
    const result = run({ WF_ELECTRON_PATH: join(empty, 'electron') });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`SKIPPED: no Electron runtime (WF_ELECTRON_PATH ${empty}`);
  });
});
