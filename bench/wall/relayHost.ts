import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import pino from 'pino';
import { z } from 'zod';
import { MediaRelay } from '../../server/relay/mediaRelay';
import type { RelayGrant } from '../../server/relay/relayGrants';
import { relayTokenSha256 } from '../../server/relay/relayTokens';
import { selectRelayFfmpeg } from '../../server/relay/ffmpegBinary';

/**
 * The server's camera relay (server/relay/mediaRelay.ts) in a process of its own, so that the wall
 * bench measures its CPU apart from the gateway's. Grants are a fixed table instead of the
 * database: each camera's token opens it, with credentials on the relay's side only, as in the
 * server (docs/decisions/0016-camera-credentials-stay-in-the-server.md).
 *
 * argv[2]: JSON { cameras: [{ key, token, url, substreamUrl? }] }
 * Prints one JSON line { origin } when ready; ends on SIGTERM.
 */

const ConfigSchema = z.object({
  cameras: z.array(
    z.object({
      key: z.string(),
      token: z.string(),
      url: z.string(),
      substreamUrl: z.string().optional(),
    }),
  ),
});

async function main(): Promise<void> {
  const config = ConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const grants = new Map<string, RelayGrant>(
    config.cameras.map((c) => [
      relayTokenSha256(c.token),
      {
        grantId: c.key,
        cameraId: c.key,
        source: {
          protocol: 'http-ts',
          url: c.url,
          ...(c.substreamUrl ? { substreamUrl: c.substreamUrl } : {}),
          username: 'bench-viewer',
          password: 'bench-only-password',
          codecHint: 'h264',
          ptz: false,
        },
        ended: null,
      },
    ]),
  );
  const relay = new MediaRelay({
    findGrant: async (sha) => grants.get(sha) ?? null,
    liveGrants: async (ids) => new Set(ids),
    ffmpegPath: () => selectRelayFfmpeg().path,
    log: pino({ level: 'warn' }),
  });
  const server = createServer((req, res) => {
    const m = /^\/v1\/relay\/([A-Za-z0-9_-]{43})\/(main|sub)$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    void relay.open(m[1]!, m[2] as 'main' | 'sub', null, aborted.signal).then(async (answer) => {
      if (answer.kind !== 'stream') {
        res.writeHead(answer.kind === 'error' ? answer.status : 500).end();
        return;
      }
      res.writeHead(200, { 'content-type': answer.contentType, 'cache-control': 'no-store' });
      const release = relay.hold(answer.grantId, () => res.destroy());
      await pipeline(answer.body, res).catch(() => undefined);
      release();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(JSON.stringify({ origin: `http://127.0.0.1:${port}` }) + '\n');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  relay.cutAll();
  server.closeAllConnections();
  server.close();
  process.exit(0);
}

void main();
