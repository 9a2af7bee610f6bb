import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { buildApp } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { startSession } from '../../server/auth/sessions';
import { createUser } from '../../server/users/userChanges';
import { findMediaTools } from '../../server/media/mediaTools';
import { verifyPackage } from '../../server/evidence/evidencePackage';
import { systemClock } from '../../shared/time/clock';
import { openBenchStore } from '../support/benchStore';
import { printTable, round, writeResult } from '../support/results';

/**
 * Evidence export of one hour of 1080p footage from a recordings source (docs/evidence.md):
 *
 * - the footage: `--seconds` (60) of 1920x1080 testsrc2 at 15 fps encoded once with x264
 *   ultrafast at about `--kbps` (2000), then joined to itself without re-encoding until it is
 *   `--minutes` (60) long: an hour-long 1080p MP4 like an NVR's, made in seconds;
 * - the source: a local HTTP server answering that MP4 for any time range, as an NVR's clip
 *   endpoint does;
 * - measured through the real server on PGlite: the fetch (policy, HTTP, SHA-256 while storing,
 *   custody), the export (a still, copying into the package, manifest, signature) and
 *   `evidence verify` of the package (every byte hashed again), each in seconds and MB/s.
 */
export async function runEvidenceBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '60' },
      seconds: { type: 'string', default: '60' },
      kbps: { type: 'string', default: '2000' },
    },
  });
  const minutes = Number(values.minutes);
  const pieceSeconds = Number(values.seconds);
  const kbps = Number(values.kbps);
  const work = await mkdtemp(join(tmpdir(), 'wf-evidence-bench-'));
  const ffmpeg = findMediaTools().ffmpeg;
  try {
    const t0 = performance.now();
    const footage = await makeFootage(ffmpeg, work, { minutes, pieceSeconds, kbps });
    const makeSec = (performance.now() - t0) / 1000;
    const { size } = await stat(footage);
    const mb = size / 1e6;

    const nvr = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
      createReadStream(footage).pipe(res);
    });
    await new Promise<void>((r) => nvr.listen(0, '127.0.0.1', () => r()));
    const port = (nvr.address() as AddressInfo).port;

    const { store, dispose } = await openBenchStore('pglite');
    const dataDir = join(work, 'data');
    const app = await buildApp({
      store,
      clock: systemClock,
      config: {
        ...readServerConfig({ WF_DATA_DIR: dataDir }),
        mediaDir: join(dataDir, 'media'),
      },
      logger: pino({ level: 'silent' }),
    });
    try {
      const user = await createUser(app.ctx, {
        username: 'bench',
        role: 'analyst',
        password: 'quiet lanterns over the harbor',
      });
      const admin = await createUser(app.ctx, {
        username: 'benchadmin',
        role: 'admin',
        password: 'quiet lanterns over the harbor',
      });
      const as = async (u: typeof user) =>
        (await startSession(store, app.ctx.tokens, u, new Date(), 'full')).accessToken;
      const analystToken = await as(user);
      const adminToken = await as(admin);
      const inject = (token: string, method: 'POST', url: string, body: unknown) =>
        app.api.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}` },
          payload: body as Record<string, unknown>,
        });
      const camera = await inject(adminToken, 'POST', '/v1/cameras', {
        kind: 'agency',
        name: 'Bench Pole Camera',
        lat: 36.1,
        lng: -80.24,
        source: { protocol: 'http-ts', url: `http://127.0.0.1:${port}/live.ts` },
        recordings: {
          urlTemplate: `http://127.0.0.1:${port}/api/pole/start/{start_unix}/end/{end_unix}/clip.mp4`,
        },
      });
      if (camera.statusCode !== 201) throw new Error(`camera: ${camera.body}`);
      const start = Date.parse('2026-11-29T12:00:00Z');

      let t = performance.now();
      const fetched = await inject(analystToken, 'POST', '/v1/evidence/recordings', {
        caseNumber: '2026-004512',
        cameraId: camera.json().id,
        start: new Date(start).toISOString(),
        end: new Date(start + minutes * 60_000).toISOString(),
        reason: 'investigation_follow_up',
      });
      const fetchSec = (performance.now() - t) / 1000;
      if (fetched.statusCode !== 201) throw new Error(`fetch: ${fetched.body}`);

      t = performance.now();
      const exported = await inject(
        analystToken,
        'POST',
        '/v1/evidence/cases/2026-004512/exports',
        {},
      );
      const exportSec = (performance.now() - t) / 1000;
      if (exported.statusCode !== 201) throw new Error(`export: ${exported.body}`);
      const dir = join(app.ctx.config.evidenceDir, exported.json().dir as string);

      t = performance.now();
      const verdict = await verifyPackage(dir);
      const verifySec = (performance.now() - t) / 1000;
      if (!verdict.ok) throw new Error(`verify: ${verdict.what} ${verdict.problem}`);

      const rows = [
        {
          step: 'fetch (HTTP, SHA-256, store, custody)',
          seconds: round(fetchSec),
          mbPerSec: round(mb / fetchSec, 1),
        },
        {
          step: 'export (still, copy, manifest, signature)',
          seconds: round(exportSec),
          mbPerSec: round(mb / exportSec, 1),
        },
        { step: 'evidence verify', seconds: round(verifySec), mbPerSec: round(mb / verifySec, 1) },
        {
          step: 'fetch + export',
          seconds: round(fetchSec + exportSec),
          mbPerSec: round(mb / (fetchSec + exportSec), 1),
        },
      ];
      printTable(
        `evidence: ${minutes} min of 1080p (${round(mb, 1)} MB, ~${kbps} kbit/s) from a recordings source, PGlite`,
        rows,
      );
      writeResult('evidence', {
        footage: {
          minutes,
          width: 1920,
          height: 1080,
          fps: 15,
          kbps,
          bytes: size,
          made: `${pieceSeconds} s of testsrc2 encoded with x264 ultrafast, joined to itself without re-encoding`,
          makeSeconds: round(makeSec),
        },
        store: 'pglite',
        steps: rows,
      });
    } finally {
      await app.close();
      await dispose();
      nvr.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function run(ffmpeg: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpeg, args, { maxBuffer: 1 << 20 }, (err, _out, stderr) =>
      err ? reject(new Error(`ffmpeg: ${String(stderr).slice(-300)}`)) : resolve(),
    );
  });
}

async function makeFootage(
  ffmpeg: string,
  dir: string,
  opts: { minutes: number; pieceSeconds: number; kbps: number },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const piece = join(dir, 'piece.mp4');
  await run(ffmpeg, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=15`,
    '-t',
    String(opts.pieceSeconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-b:v',
    `${opts.kbps}k`,
    '-maxrate',
    `${opts.kbps}k`,
    '-bufsize',
    `${opts.kbps * 2}k`,
    '-g',
    '30',
    '-pix_fmt',
    'yuv420p',
    '-y',
    piece,
  ]);
  const copies = Math.ceil((opts.minutes * 60) / opts.pieceSeconds);
  const list = join(dir, 'list.ffconcat');
  await writeFile(
    list,
    ['ffconcat version 1.0', ...Array.from({ length: copies }, () => `file '${piece}'`)].join(
      '\n',
    ) + '\n',
  );
  const hour = join(dir, 'hour.mp4');
  await run(ffmpeg, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    list,
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    '-y',
    hour,
  ]);
  return hour;
}
