import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  callControlChannel,
  controlSocketPath,
  ControlChannelUntrusted,
  startControlChannel,
  type ControlChannel,
} from '../../../server/control/controlChannel';
import type { StoreCommand } from '../../../server/cli/storeCommands';
import { HttpError } from '../../../server/http/errorHandler';
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

/** What a command printed, in order, as the caller saw it. */
function collector() {
  const lines: string[] = [];
  return {
    lines,
    io: { out: (l: string) => lines.push(`out ${l}`), err: (l: string) => lines.push(`err ${l}`) },
  };
}

async function serverWith(commands?: Record<string, StoreCommand>): Promise<string> {
  t = await startTestApp('pglite');
  dir = mkdtempSync(join(tmpdir(), 'wf-ctl-'));
  channel = await startControlChannel(t.app.ctx, dir, commands ? { commands } : {});
  return dir;
}

describe("the server's control channel", () => {
  it('runs its commands, and refuses what is not one with a reason', async () => {
    const dataDir = await serverWith();
    const path = controlSocketPath(dataDir);

    const seen = collector();
    const added = await callControlChannel(
      dataDir,
      {
        command: 'integration.add',
        args: { name: 'via-socket', scope: 'gunshot' },
        actor: 'cli:ops',
      },
      seen.io,
    );
    expect(added).toEqual({ code: 0 });
    expect(seen.lines[0]).toMatch(/^out created integration "via-socket" \(gunshot, /);
    expect(seen.lines[1]).toMatch(/^out key: wfi_/);
    const audit = await t!.store.store.query<{ actor_name: string }>(
      "select actor_name from audit_log where action = 'integration.create'",
    );
    expect(audit.rows).toEqual([{ actor_name: 'cli:ops' }]);

    const bad = (line: string) => raw(path, `${line}\n`).then((a) => JSON.parse(a));
    expect(await bad('not json')).toEqual({
      failed: { status: 400, message: 'Not a control request this server understands.' },
    });
    expect(await bad('{"command":"user.delete","args":{},"actor":"cli:x"}')).toEqual({
      failed: { status: 400, message: 'There is no command "user.delete".' },
    });
    expect(await bad('{"command":"toString","args":{},"actor":"cli:x"}')).toEqual({
      failed: { status: 400, message: 'There is no command "toString".' },
    });
    expect(
      await bad('{"command":"integration.add","args":{"name":"north"},"actor":"cli:x"}'),
    ).toMatchObject({ failed: { status: 400, message: expect.stringMatching(/^scope: /) } });
    expect(
      await bad('{"command":"integration.list","args":{},"actor":"root; rm -rf"}'),
    ).toMatchObject({ failed: { status: 400 } });
    // A command's own refusal comes back as the same status and words, thrown at the caller.
    await expect(
      callControlChannel(
        dataDir,
        { command: 'user.unlock', args: { username: 'nobody' }, actor: 'cli:x' },
        collector().io,
      ),
    ).rejects.toEqual(new HttpError(404, 'There is no user "nobody".'));

    await channel!.close();
    channel = null;
    // No server: the command line opens the database itself.
    expect(
      await callControlChannel(
        dataDir,
        { command: 'integration.list', args: {}, actor: 'cli:x' },
        collector().io,
      ),
    ).toBeNull();
  });

  it('refuses a request longer than its limit', async () => {
    t = await startTestApp('pglite');
    dir = mkdtempSync(join(tmpdir(), 'wf-ctl-'));
    channel = await startControlChannel(t.app.ctx, dir, { maxRequestChars: 1000 });
    const huge = JSON.parse(await raw(controlSocketPath(dir), 'x'.repeat(5000)));
    expect(huge).toEqual({ failed: { status: 413, message: 'Request too large.' } });
  });

  it('streams what a command prints while it is still running', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const slow: StoreCommand = {
      args: z.object({}).strict(),
      async run(_ctx, _args, io) {
        io.out('started');
        io.err('a warning');
        await released;
        io.out('finished');
        return { code: 3, result: { n: 1 } };
      },
    };
    const dataDir = await serverWith({ slow });
    const seen = collector();
    let firstLine!: () => void;
    const gotFirst = new Promise<void>((r) => (firstLine = r));
    const io = {
      out: (l: string) => {
        seen.io.out(l);
        firstLine();
      },
      err: seen.io.err,
    };
    const answer = callControlChannel(dataDir, { command: 'slow', args: {}, actor: 'cli:x' }, io);
    try {
      // The first lines are here, and the command has not finished: it waits for us.
      await gotFirst;
      expect(seen.lines.slice(0, 1)).toEqual(['out started']);
      expect(seen.lines).not.toContain('out finished');
    } finally {
      release();
    }
    expect(await answer).toEqual({ code: 3, result: { n: 1 } });
    expect(seen.lines).toEqual(['out started', 'err a warning', 'out finished']);
  });

  it('is a socket only its own user can open, in a folder of its own', async () => {
    const dataDir = await serverWith();
    expect(statSync(join(dataDir, 'control')).mode & 0o777).toBe(0o700);
    expect(statSync(controlSocketPath(dataDir)).mode & 0o777).toBe(0o600);

    // wf sends nothing (a password perhaps) into a folder others could have put a socket in.
    chmodSync(join(dataDir, 'control'), 0o755);
    await expect(
      callControlChannel(
        dataDir,
        { command: 'integration.list', args: {}, actor: 'cli:x' },
        collector().io,
      ),
    ).rejects.toThrow(
      new ControlChannelUntrusted(
        `${join(dataDir, 'control')} is open to other users (mode 755); run chmod 700 on it`,
      ),
    );
  });

  it.runIf(process.getuid?.() === 0)(
    "refuses a data dir or control folder that is not the server user's",
    async () => {
      t = await startTestApp('pglite');
      dir = mkdtempSync(join(tmpdir(), 'wf-ctl-'));
      const someoneElse = 4242;
      chownSync(dir, someoneElse, someoneElse);
      await expect(startControlChannel(t.app.ctx, dir)).rejects.toThrow(
        `${dir} belongs to user id ${someoneElse}, not to this process's user (0)`,
      );
      chownSync(dir, 0, 0);
      mkdirSync(join(dir, 'control'), { mode: 0o700 });
      chownSync(join(dir, 'control'), someoneElse, someoneElse);
      await expect(startControlChannel(t.app.ctx, dir)).rejects.toThrow(
        `${join(dir, 'control')} belongs to user id ${someoneElse}`,
      );
      // And wf will not talk to a socket in it.
      await expect(
        callControlChannel(
          dir,
          { command: 'integration.list', args: {}, actor: 'cli:x' },
          collector().io,
        ),
      ).rejects.toThrow(`${join(dir, 'control')} belongs to user id ${someoneElse}`);
    },
  );
});
