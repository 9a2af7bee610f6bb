import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runFixture(...args: string[]) {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'test/server/runtime/fixtures/rejectingProcess.ts', ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: res.status, out: res.stdout, err: res.stderr };
}

describe('the unhandled-rejection guard', () => {
  it('without it, Node ends a process on an unhandled rejection', () => {
    const plain = runFixture();
    expect(plain.code).not.toBe(0);
    expect(plain.out).not.toContain('still serving');
    expect(plain.err).toContain('the database refused the connection');
  });

  it('with it, the rejection is logged and the process keeps running', () => {
    const guarded = runFixture('--guarded');
    expect(guarded.code).toBe(0);
    expect(guarded.out).toContain('still serving');
    const logged = guarded.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message?: string } });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'unhandled promise rejection (kept running)',
        err: expect.objectContaining({ message: 'the database refused the connection' }),
      }),
    );
  });
});
