import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import {
  SourceDescriptorSchema,
  type SourceDescriptor,
  type SourceProtocol,
} from '../../../shared/domain/cameras';
import { describeSource } from '../../../shared/media/redactSecrets';
import { startMediaServer, type MediaTransport } from './mediaServer';
import { StreamGateway } from './streamGateway';
import { StreamVariantSchema } from './streamState';

/**
 * `npm run wf -- gateway serve --source URL [--port 7420]`: the gateway on one source alone, for
 * installers testing a camera URL and for benchmarks. Prints the LL-HLS playlist URL it serves on
 * 127.0.0.1 and runs until interrupted.
 */

const USAGE = `Usage: npm run wf -- gateway serve --source URL [options]
  --source URL        rtsp://, http(s):// MPEG-TS, .m3u8 (HLS) or MJPEG over HTTP; user:password@ allowed
  --protocol P        rtsp | http-ts | hls | mjpeg (default: guessed from the URL)
  --codec C           h264 | h265 | mjpeg | unknown (default: unknown, detected)
  --substream URL     the camera's own low-resolution stream
  --variant V         main | sub (default: main)
  --port N            port on 127.0.0.1 (default: 7420; 0 picks a free one)
  --transport T       h1 (plain HTTP/1.1, default) | h2 (HTTP/2 over TLS, self-signed)
`;

export function guessProtocol(url: string): SourceProtocol {
  const u = new URL(url);
  if (u.protocol === 'rtsp:' || u.protocol === 'rtsps:') return 'rtsp';
  if (/\.m3u8$/i.test(u.pathname)) return 'hls';
  if (/mjpe?g|\.cgi$/i.test(u.pathname)) return 'mjpeg';
  return 'http-ts';
}

/** Builds a descriptor from the command line, moving any user:password out of the URL. */
export function descriptorFromArgs(values: {
  readonly source: string;
  readonly protocol?: string;
  readonly codec?: string;
  readonly substream?: string;
}): SourceDescriptor {
  const u = new URL(values.source);
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.username = '';
  u.password = '';
  return SourceDescriptorSchema.parse({
    protocol: values.protocol ?? guessProtocol(values.source),
    url: u.toString(),
    username,
    password,
    codecHint: values.codec ?? 'unknown',
    substreamUrl: values.substream,
  });
}

export async function runGatewayServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      protocol: { type: 'string' },
      codec: { type: 'string' },
      substream: { type: 'string' },
      variant: { type: 'string', default: 'main' },
      port: { type: 'string', default: '7420' },
      transport: { type: 'string', default: 'h1' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help || !values.source) {
    process.stdout.write(USAGE);
    if (!values.help) throw new Error('--source is required');
    return;
  }
  let descriptor: SourceDescriptor;
  try {
    descriptor = descriptorFromArgs({
      source: values.source,
      protocol: values.protocol,
      codec: values.codec,
      substream: values.substream,
    });
  } catch {
    throw new Error('--source must be an rtsp://, http:// or https:// URL; see --help');
  }
  const variant = StreamVariantSchema.parse(values.variant);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port is 0-65535');
  const transport = values.transport as MediaTransport;
  if (transport !== 'h1' && transport !== 'h2') throw new Error('--transport is h1 or h2');

  const logger = pino({ level: process.env.WF_LOG_LEVEL ?? 'warn' });
  const dataDir = await mkdtemp(join(tmpdir(), 'wf-gateway-'));
  const gateway = new StreamGateway({ dataDir, logger });
  const server = await startMediaServer({ gateway, transport, port, host: '127.0.0.1' });
  const opened = gateway.open('serve', descriptor, variant, 'serve-command');
  const playlistUrl = `${server.origin}${server.prefix}${opened.playlistPath}`;
  process.stdout.write(`source   ${describeSource(descriptor.url)} (${descriptor.protocol})\n`);
  process.stdout.write(`playlist ${playlistUrl}\n`);
  const unsubscribe = gateway.subscribe(opened.mediaId, (state) => {
    const reason = 'reason' in state ? ` (${state.reason})` : '';
    process.stdout.write(`state    ${state.kind}${reason}\n`);
  });

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  unsubscribe();
  await gateway.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
