import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp } from '../../../server/app';
import { readServerConfig } from '../../../server/config';
import { systemClock } from '../../../shared/time/clock';
import { openTestStore } from '../../support/stores';

const dir = mkdtempSync(join(tmpdir(), 'wf-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('TLS', () => {
  it('serves HTTPS when given a certificate and key', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const t = await openTestStore('pglite');
    const app = await buildApp({
      store: t.store,
      clock: systemClock,
      config: readServerConfig({}),
      logger: pino({ level: 'silent' }),
      https: { key: readFileSync(key), cert: readFileSync(cert) },
    });
    try {
      await app.api.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.api.server.address();
      if (!addr || typeof addr === 'string') throw new Error('no address');
      const res = await get(`https://127.0.0.1:${addr.port}/v1/health`, readFileSync(cert));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).status).toBe('ok');
      // A client that does not trust the certificate is refused by TLS itself.
      await expect(
        get(`https://127.0.0.1:${addr.port}/v1/health`, Buffer.from('')),
      ).rejects.toThrow();
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});
