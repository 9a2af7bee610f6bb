import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { evidenceWorkerOf } from '../../../server/alerts/alertEvidenceWorker';
import { startTestApp, type TestApp } from '../../support/testApp';
import { integrationKey, post } from '../incidents/incidentFixtures';
import { alertEvents, configureAlertCity } from './alertFixtures';

/**
 * An LPR hit's plate image is fetched after the hit is acknowledged, into the media store, with
 * the tip line's address rules: http or a private address only on the origin configured for
 * that integration; retried when the vendor has a temporary error; every state on the alert.
 */

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]);

let t: TestApp | null = null;
let vendor: Server | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
  await new Promise<void>((resolve) => (vendor ? vendor.close(() => resolve()) : resolve()));
  vendor = null;
});

async function startVendor(): Promise<string> {
  let busy = 1;
  vendor = createServer((req, res) => {
    if (req.url === '/plates/1.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    } else if (req.url === '/plates/busy.jpg' && busy-- > 0) {
      res.writeHead(503).end();
    } else if (req.url === '/plates/busy.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => vendor!.listen(0, '127.0.0.1', resolve));
  const addr = vendor.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return `http://127.0.0.1:${addr.port}`;
}

function hit(t: TestApp, id: string, imageUrl: string) {
  return {
    id,
    plate: 'XYZ987',
    reader: { id: 'LPR-3', position: { lat: 36.1, lon: -80.25 } },
    time: new Date(t.clock.now() - 30_000).toISOString(),
    hotList: { name: 'stolen-vehicle', reason: 'Stolen' },
    imageUrl,
  };
}

describe('LPR plate images', () => {
  it('fetches from the configured origin, retries a temporary error, refuses anything else', async () => {
    t = await startTestApp('pglite');
    const origin = await startVendor();
    await configureAlertCity(t, { mediaOrigins: { 'lpr-feed': origin } });
    const lpr = await integrationKey(t, 'lpr');
    const other = await integrationKey(t, 'lpr', 'other-lpr');
    const worker = evidenceWorkerOf.get(t.app.ctx)!;

    const ok = await post(
      t,
      'POST',
      '/v1/ingest/lpr/hits',
      lpr.key,
      hit(t, 'h1', `${origin}/plates/1.jpg`),
    );
    expect(ok.statusCode).toBe(200);
    await post(
      t,
      'POST',
      '/v1/ingest/lpr/hits',
      lpr.key,
      hit(t, 'h2', `${origin}/plates/busy.jpg`),
    );
    // Another integration has no trusted origin: a private http address is refused for it.
    await post(t, 'POST', '/v1/ingest/lpr/hits', other.key, hit(t, 'h3', `${origin}/plates/1.jpg`));
    const analyst = await t.user('analyst');
    const states = async () =>
      Object.fromEntries(
        (
          (await t!.as(analyst, 'GET', '/v1/alerts')).json().alerts as {
            senderId: string;
            evidence: { state: string; sha256: string | null; failure: string | null }[];
          }[]
        ).map((a) => [a.senderId, a.evidence[0]]),
      );
    await t.app.ctx.tasks.runNow('alerts.evidence');
    const first = await states();
    expect(first.h1).toMatchObject({ state: 'stored', failure: null });
    expect(await (await worker.store()).verify(first.h1!.sha256!)).toBe(true);
    expect(first.h2!.state).toBe('pending');
    expect(first.h2!.failure).toMatch(
      /temporary error \(HTTP 503\)\. Trying again \(attempt 1 of 6\)/,
    );
    expect(first.h3).toMatchObject({
      state: 'failed',
      failure: 'The media address points to an address that is not https.',
    });

    t.clock.advance(60_000);
    await t.app.ctx.tasks.runNow('alerts.evidence');
    expect((await states()).h2).toMatchObject({ state: 'stored' });
    const updates = (await alertEvents(t)).filter((e) => e.type === 'alert.updated');
    expect(updates.every((e) => (e.payload.changed as string[]).includes('evidence'))).toBe(true);
    expect(updates).toHaveLength(4);
  });
});
