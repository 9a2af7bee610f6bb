import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callControlChannel,
  controlSocketPath,
  startControlChannel,
  type ControlChannel,
} from '../../../server/control/controlChannel';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp | null = null;
let channel: ControlChannel | null = null;
let dir: string | null = null;
afterEach(async () => {
  await channel?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  channel = t = dir = null;
});

/** Sends raw bytes and reads the whole answer. */
function raw(path: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let got = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: string) => (got += c));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

describe("the server's control channel", () => {
  it('answers its commands, and refuses what is not one with a reason', async () => {
    t = await startTestApp('pglite');
    dir = mkdtempSync(join(tmpdir(), 'wf-ctl-'));
    channel = await startControlChannel(t.app.ctx, dir);
    const path = controlSocketPath(dir);

    const added = await callControlChannel(dir, {
      operation: 'integration.add',
      args: { name: 'via-socket', scope: 'gunshot' },
      actor: 'cli:ops',
    });
    expect(added).toMatchObject({ ok: true, result: { name: 'via-socket', scope: 'gunshot' } });
    const audit = await t.store.store.query<{ actor_name: string }>(
      "select actor_name from audit_log where action = 'integration.create'",
    );
    expect(audit.rows).toEqual([{ actor_name: 'cli:ops' }]);

    const bad = (line: string) => raw(path, `${line}\n`).then((a) => JSON.parse(a));
    expect(await bad('not json')).toMatchObject({ ok: false, status: 400 });
    expect(await bad('{"operation":"user.delete","args":{},"actor":"cli:x"}')).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await bad('{"operation":"integration.add","args":{"name":"x"},"actor":"cli:x"}'),
    ).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/scope/) });
    expect(
      await bad('{"operation":"integration.list","args":{},"actor":"root; rm -rf"}'),
    ).toMatchObject({ ok: false, status: 400 });
    const huge = JSON.parse(await raw(path, 'x'.repeat(200 * 1024)));
    expect(huge).toMatchObject({ ok: false, status: 413 });

    await channel.close();
    channel = null;
    // No server: the command line opens the database itself.
    expect(
      await callControlChannel(dir, { operation: 'integration.list', args: {}, actor: 'cli:x' }),
    ).toBeNull();
  });
});
