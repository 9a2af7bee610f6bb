import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp, type App } from '../../../server/app';
import { readServerConfig } from '../../../server/config';
import { systemClock } from '../../../shared/time/clock';
import { openTestStore, type TestStore } from '../../support/stores';
import { ApiErrorSchema } from '../../../shared/api/errors';

/**
 * Requests refused before any route runs (by Node's HTTP parser or Fastify's router) are sent
 * over a raw socket, since an HTTP client would refuse to send most of them.
 */
let store: TestStore;
let app: App;
let port: number;

beforeAll(async () => {
  store = await openTestStore('pglite');
  app = await buildApp({
    store: store.store,
    clock: systemClock,
    config: readServerConfig({}),
    logger: pino({ level: 'silent' }),
  });
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  port = (app.api.server.address() as AddressInfo).port;
}, 120_000);

afterAll(async () => {
  await app.close();
  await store.dispose();
});

interface RawReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

function raw(request: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) });
    });
    // The server may close before reading all of an oversized request.
    socket.write(request, () => socket.end());
  });
}

function expectShape(reply: RawReply, status: number, error: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  const body = ApiErrorSchema.strict().parse(reply.body);
  expect(body).toMatchObject({ statusCode: status, error });
  expect(body.message.length).toBeGreaterThan(10);
}

describe('refusals before routing', () => {
  it('answers a path parameter over the router limit with 414 in the error shape', async () => {
    const reply = await raw(
      `GET /v1/cameras/${'a'.repeat(300)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    expectShape(reply, 414, 'URI Too Long');
    // The overlong value is not echoed back.
    expect(JSON.stringify(reply.body)).not.toContain('a'.repeat(100));
  });

  it('answers a URL over 8 KiB with 414 in the error shape', async () => {
    const reply = await raw(
      `GET /v1/health?x=${'b'.repeat(9000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    expectShape(reply, 414, 'URI Too Long');
  });

  it('answers headers over 16 KiB with 431 in the error shape and closes', async () => {
    const reply = await raw(
      `GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'c'.repeat(20_000)}\r\n\r\n`,
    );
    expectShape(reply, 431, 'Request Header Fields Too Large');
    expect(reply.headers.connection).toBe('close');
  });

  it('answers a request head over 16 KiB by its URL with 431 in the error shape', async () => {
    const reply = await raw(`GET /v1/health?x=${'d'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectShape(reply, 431, 'Request Header Fields Too Large');
  });

  it('answers a malformed request with 400 in the error shape', async () => {
    const reply = await raw('NOT HTTP AT ALL\r\n\r\n');
    expectShape(reply, 400, 'Bad Request');
  });

  it('still serves ordinary requests', async () => {
    const res = await app.api.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(200);
  });
});
