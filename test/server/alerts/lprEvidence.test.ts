import { randomBytes, randomUUID } from 'node:crypto';
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

  it('shows the plate image only to a user who opened it for a reason, while the opening lasts', async () => {
    t = await startTestApp('pglite');
    const origin = await startVendor();
    // Written with a path: the origin is what counts.
    await configureAlertCity(t, { mediaOrigins: { 'lpr-feed': `${origin}/plates/` } });
    const lpr = await integrationKey(t, 'lpr');
    await post(t, 'POST', '/v1/ingest/lpr/hits', lpr.key, hit(t, 'p1', `${origin}/plates/1.jpg`));
    await t.app.ctx.tasks.runNow('alerts.evidence');
    const analyst = await t.user('analyst');
    const other = await t.user('analyst', 'second-analyst');
    // The agency's settings read back as saved, media origins and all.
    const settings = await t.as(analyst, 'GET', '/v1/agency');
    expect(settings.statusCode).toBe(200);
    expect(settings.json().alerts.mediaOrigins).toEqual({ 'lpr-feed': `${origin}/plates/` });
    const alert = (await t.as(analyst, 'GET', '/v1/alerts')).json().alerts[0] as { id: string };
    const image = `/v1/alerts/${alert.id}/evidence/1`;

    // Not opened yet: nothing, not even whether it exists.
    expect((await t.as(analyst, 'GET', image)).statusCode).toBe(404);
    const reason = { code: 'sensor_alert', reference: 'INC-2026-000123' };
    const noReason = await t.as(analyst, 'POST', `/v1/alerts/${alert.id}/evidence-grants`, {});
    expect(noReason.statusCode).toBe(400);
    const opened = await t.as(analyst, 'POST', `/v1/alerts/${alert.id}/evidence-grants`, {
      reason,
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toEqual({
      alertId: alert.id,
      expiresAt: new Date(t.clock.now() + 15 * 60_000).toISOString(),
    });

    const got = await t.as(analyst, 'GET', image);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.rawPayload.equals(JPEG)).toBe(true);
    // The opening is the analyst's own; another image number or another alert is nothing.
    expect((await t.as(other, 'GET', image)).statusCode).toBe(404);
    expect((await t.as(analyst, 'GET', `/v1/alerts/${alert.id}/evidence/2`)).statusCode).toBe(404);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(
      (await t.as(analyst, 'POST', `/v1/alerts/${missing}/evidence-grants`, { reason })).statusCode,
    ).toBe(404);

    const audit = await t.app.ctx.store.query<{ actor_id: string; details: { reason: string } }>(
      `select actor_id, details from audit_log where action = 'alert.evidence.view'`,
    );
    expect(audit.rows).toEqual([
      { actor_id: analyst.id, details: expect.objectContaining({ reason: 'sensor_alert' }) },
    ]);

    // Past the opening's time the same user, in a fresh session, is refused until opening again.
    t.clock.advance(15 * 60_000 + 1);
    const sessionId = randomUUID();
    await t.store.store.query(
      `insert into sessions (id, user_id, created_at, last_seen_at, scope) values ($1, $2, $3, $3, 'full')`,
      [sessionId, analyst.id, new Date(t.clock.now()).toISOString()],
    );
    const later = {
      ...analyst,
      token: (
        await t.app.ctx.tokens.issue({
          userId: analyst.id,
          username: analyst.username,
          role: analyst.role,
          sessionId,
        })
      ).token,
    };
    expect((await t.as(later, 'GET', image)).statusCode).toBe(404);
    await t.as(later, 'POST', `/v1/alerts/${alert.id}/evidence-grants`, { reason });
    expect((await t.as(later, 'GET', image)).statusCode).toBe(200);
  });
});
