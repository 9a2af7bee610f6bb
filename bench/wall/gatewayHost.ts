import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { z } from 'zod';
import { startMediaServer, StreamGateway } from '../../electron/host/gateway/index';
import type { NodeRequest, NodeResponse } from '../../electron/host/gateway/mediaHttp';

/**
 * The gateway under test, in its own process so that its CPU (Node plus its ffmpeg children) is
 * measured apart from the simulator and the browser. Serves the bench page, hls.js and media;
 * `/bench/open?camera=N&viewer=V` opens camera N for a tile, as a host would after a grant.
 *
 * argv[2]: JSON { transport, variant, cameras: [{ key, url, substreamUrl? }] }
 * Prints one JSON line { origin, spkiSha256 } when ready; ends on SIGTERM.
 */

const ConfigSchema = z.object({
  transport: z.enum(['h1', 'h2']),
  variant: z.enum(['main', 'sub']),
  cameras: z.array(
    z.object({ key: z.string(), url: z.string(), substreamUrl: z.string().optional() }),
  ),
});

async function main(): Promise<void> {
  const config = ConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const here = fileURLToPath(new URL('.', import.meta.url));
  const page = await readFile(join(here, 'benchPage.html'));
  const player = await bundlePlayer(join(here, 'page', 'benchPlayer.ts'));
  const dataDir = await mkdtemp(join(tmpdir(), 'wf-bench-gateway-'));
  const gateway = new StreamGateway({ dataDir, logger: pino({ level: 'warn' }) });

  const fallback = (req: NodeRequest, res: NodeResponse): void => {
    const url = new URL(req.url ?? '/', 'http://bench.invalid');
    const send = (status: number, type: string, body: string | Buffer): void => {
      (res as ServerResponse).writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
      });
      res.end(body);
    };
    if (url.pathname === '/bench/' || url.pathname === '/bench') {
      return send(200, 'text/html; charset=utf-8', page);
    }
    if (url.pathname === '/bench/player.js') return send(200, 'text/javascript', player);
    if (url.pathname === '/bench/open') {
      const camera = config.cameras[Number(url.searchParams.get('camera'))];
      const viewer = url.searchParams.get('viewer') ?? 'viewer';
      if (!camera) return send(404, 'text/plain', 'no such camera\n');
      const opened = gateway.open(
        camera.key,
        {
          protocol: 'http-ts',
          url: camera.url,
          substreamUrl: camera.substreamUrl,
          codecHint: 'h264',
          ptz: false,
        },
        config.variant,
        viewer,
      );
      return send(
        200,
        'application/json',
        JSON.stringify({ playlist: `/media/${opened.playlistPath}` }),
      );
    }
    return send(404, 'text/plain', 'not found\n');
  };

  const server = await startMediaServer({
    gateway,
    transport: config.transport,
    fallback,
    mediaSocket: true,
  });
  process.stdout.write(
    JSON.stringify({ origin: server.origin, spkiSha256: server.spkiSha256 }) + '\n',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await gateway.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}

/** The page's player (hls.js with the console tiles' settings and loader) as one script. */
async function bundlePlayer(entry: string): Promise<string> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry, formats: ['iife'], name: 'WfBenchPlayer', fileName: 'player' },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if (!('output' in o)) continue;
    const chunk = o.output.find((c) => c.type === 'chunk');
    if (chunk && chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('the bench player did not build');
}

void main();
