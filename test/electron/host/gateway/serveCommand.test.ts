import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descriptorFromArgs, guessProtocol } from '../../../../electron/host/gateway/serveCommand';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import { startTestSimulator } from '../fixtures/harness';
import { parsePlaylist } from '../fixtures/playlist';
import { eventually } from '../fixtures/processes';

/** Every descendant of a process (to find the command's ffmpeg, a grandchild). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parents.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

describe('gateway serve command: arguments', () => {
  it('guesses the protocol from the URL', () => {
    expect(guessProtocol('rtsp://10.0.0.5/stream1')).toBe('rtsp');
    expect(guessProtocol('http://cam.local/live/index.m3u8')).toBe('hls');
    expect(guessProtocol('http://cam.local/video.mjpg')).toBe('mjpeg');
    expect(guessProtocol('http://cam.local/stream.ts')).toBe('http-ts');
  });

  it('moves credentials out of the URL into the descriptor', () => {
    const d = descriptorFromArgs({ source: 'rtsp://admin:p%40ss@127.0.0.1:554/live' });
    expect(d).toMatchObject({
      protocol: 'rtsp',
      url: 'rtsp://127.0.0.1:554/live',
      username: 'admin',
      password: 'p@ss',
      codecHint: 'unknown',
    });
    expect(() => descriptorFromArgs({ source: 'file:///etc/passwd' })).toThrow();
  });
});

describe('gateway serve command: running', () => {
  let dir: string;
  let simulator: CameraSimulator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-serve-'));
    simulator = await startTestSimulator(dir);
  });

  afterAll(async () => {
    await simulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the playlist URL it serves on 127.0.0.1 and ends its ffmpeg on SIGTERM', async () => {
    const source = simulator.urlFor('Serve Test').replace('http://', 'http://tech:s3cr3t-pw@');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/wf.ts', 'gateway', 'serve', '--source', source, '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      expect(await eventually(() => /state\s+live/.test(out), 20_000)).toBe(true);
      const url = /playlist (http:\/\/127\.0\.0\.1:\d+\/media\/\S+\/live\.m3u8)/.exec(out)![1]!;
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const { warnings } = parsePlaylist(await response.text());
      expect(warnings).toEqual([]);
      expect(out).not.toContain('s3cr3t-pw');
      const ffmpeg = descendants(child.pid!).filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('ffmpeg');
        } catch {
          return false;
        }
      });
      expect(ffmpeg.length).toBe(1);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(
        await eventually(
          () => ffmpeg.every((pid) => !readdirSync('/proc').includes(String(pid))),
          5000,
        ),
      ).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
