import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../../server/app';
import { STREAM_RECHECK_TASK } from '../../../server/events/routes';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp } from '../../support/testApp';
import { EventClient } from '../../support/eventClient';

async function listen(app: App): Promise<string> {
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

const SECOND = 1_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe.each(STORE_KINDS)('an open event stream and the idle limit on %s', (kind) => {
  it('an unattended console idles out: neither the recheck nor reopening the stream is activity', async () => {
    // A one-minute idle limit; rechecks run only when the test says so.
    const t = await startTestApp(kind, {
      config: { sessionIdleMinutes: 1 },
      timing: { streamRecheckMs: 3_600 * SECOND },
    });
    cleanups.push(() => t.close());
    const base = await listen(t.app);
    const recheck = () => t.app.ctx.tasks.runNow(STREAM_RECHECK_TASK);

    const away = await t.user('analyst', 'away');
    const present = await t.user('analyst', 'present');
    const awayStream = await EventClient.connect(base, away.token, 0);
    const presentStream = await EventClient.connect(base, present.token, 0);
    cleanups.push(async () => {
      awayStream.close();
      presentStream.close();
    });
    await awayStream.until(() => awayStream.live, 'live (away)');
    await presentStream.until(() => presentStream.live, 'live (present)');
    expect(t.app.ctx.tasks.count(STREAM_RECHECK_TASK)).toBe(2);

    // 40 s on: both streams are rechecked, the unattended console reopens its stream (as it does
    // whenever its access token runs out), and only the other person does something.
    t.clock.advance(40 * SECOND);
    await recheck();
    const reopened = await EventClient.connect(base, away.token, 0);
    cleanups.push(async () => reopened.close());
    await reopened.until(() => reopened.live, 'live (reopened)');
    expect((await t.as(present, 'GET', '/v1/auth/me')).statusCode).toBe(200);
    expect(t.app.ctx.tasks.count(STREAM_RECHECK_TASK)).toBe(3);

    // 70 s after the last thing a person did at the unattended console: its streams end.
    t.clock.advance(30 * SECOND);
    await recheck();
    expect(t.app.ctx.tasks.count(STREAM_RECHECK_TASK)).toBe(1);
    for (const client of [awayStream, reopened]) {
      await client.until(() => client.closedWith !== null, 'the idle stream to close');
      expect(client.closedWith).toMatchObject({ code: 4401 });
      expect(client.closedWith!.reason).toMatch(/inactivity/);
    }
    const me = await t.as(away, 'GET', '/v1/auth/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().message).toMatch(/inactivity/);

    // The person who made a request 30 s ago keeps their stream.
    expect(presentStream.closedWith).toBeNull();
    expect((await t.as(present, 'GET', '/v1/auth/me')).statusCode).toBe(200);
  });
});
