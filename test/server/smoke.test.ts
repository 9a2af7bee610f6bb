import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { ManualClock } from '../../shared/time/clock';
import { openTestStore, STORE_KINDS } from '../support/stores';

describe.each(STORE_KINDS)('server on %s', (kind) => {
  it('answers health and serves an OpenAPI document', async () => {
    const t = await openTestStore(kind);
    const app = await buildApp({
      store: t.store,
      clock: new ManualClock(),
      config: readServerConfig({}),
      logger: pino({ level: 'silent' }),
    });
    try {
      const health = await app.api.inject({ method: 'GET', url: '/v1/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok', store: kind });
      const doc = await app.api.inject({ method: 'GET', url: '/v1/openapi.json' });
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json().paths)).toContain('/v1/events');
      const denied = await app.api.inject({ method: 'GET', url: '/v1/events' });
      expect(denied.statusCode).toBe(401);
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});
