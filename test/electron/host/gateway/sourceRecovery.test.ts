import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamState } from '../../../../electron/host/gateway/index';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import {
  httpTs,
  startGateway,
  startTestSimulator,
  waitForState,
  type GatewayHarness,
} from '../fixtures/harness';
import { parsePlaylist } from '../fixtures/playlist';
import { eventually, ffmpegChildren } from '../fixtures/processes';

let simDir: string;
let h: GatewayHarness;
let baseline: number;

beforeAll(async () => {
  baseline = ffmpegChildren().length;
  simDir = await mkdtemp(join(tmpdir(), 'wf-sim-recovery-'));
  h = await startGateway();
});

afterAll(async () => {
  await h.close();
  await rm(simDir, { recursive: true, force: true });
});

describe('a camera that dies and comes back', () => {
  it('says reconnecting, recovers when the source returns, and leaves no process behind', async () => {
    let simulator: CameraSimulator = await startTestSimulator(simDir);
    const url = simulator.urlFor('Bridge North');
    const port = Number(new URL(url).port);
    const { mediaId, playlistPath } = h.gateway.open('bridge', httpTs(url), 'main', 'tile');
    const states: StreamState[] = [];
    h.gateway.subscribe(mediaId, (s) => states.push(s));
    await waitForState(h.gateway, mediaId, (s) => s.kind === 'live');
    const before = parsePlaylist(await (await fetch(h.url(playlistPath))).text()).manifest;

    // The camera goes away: connections drop and new ones are refused.
    await simulator.stop();
    const reconnecting = await waitForState(h.gateway, mediaId, (s) => s.kind === 'reconnecting');
    expect(reconnecting).toMatchObject({ kind: 'reconnecting', attempt: 1 });
    expect(typeof (reconnecting as { reason: string }).reason).toBe('string');
    // Still retrying with backoff, one ffmpeg at a time at most.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const gatewayPids = h.gateway.streams().flatMap((s) => (s.ffmpegPid ? [s.ffmpegPid] : []));
    expect(gatewayPids.length).toBeLessThanOrEqual(1);

    // The camera returns on the same address.
    simulator = await startTestSimulator(simDir, port);
    simulator.urlFor('Bridge North');
    await waitForState(h.gateway, mediaId, (s) => s.kind === 'live', 10_000);
    expect(states.map((s) => s.kind)).toEqual(expect.arrayContaining(['live', 'reconnecting']));
    expect(states[states.length - 1]!.kind).toBe('live');

    // The playlist carries on after a discontinuity, with a new init segment.
    const recovered = await eventually(() => {
      const info = h.gateway.streams().find((s) => s.mediaId === mediaId);
      return (info?.bufferedSec ?? 0) > 0;
    });
    expect(recovered).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const text = await (await fetch(h.url(playlistPath))).text();
    const after = parsePlaylist(text);
    expect(after.warnings).toEqual([]);
    expect(text).toContain('#EXT-X-DISCONTINUITY');
    expect(text).toMatch(/#EXT-X-MAP:URI="init-[1-9]\d*\.mp4"/);
    expect(after.manifest.mediaSequence ?? 0).toBeGreaterThanOrEqual(before.mediaSequence ?? 0);

    await h.gateway.close();
    await simulator.stop();
    expect(await eventually(() => ffmpegChildren().length === baseline, 5000)).toBe(true);
  });
});
