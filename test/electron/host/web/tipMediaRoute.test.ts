import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveServer, type LiveServer } from '../support/liveServer';
import {
  RpcTestClient,
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../support/webConsoleHarness';

/**
 * The web console's `/tip-media/<token>/<n>/<variant>` route: it serves only grants a tab's
 * session opened (the streaming itself is tested in console/tipMedia.test.ts against a stub).
 */
describe('tip media route of the web console', () => {
  let server: LiveServer;
  let h: WebConsoleHarness;

  beforeAll(async () => {
    server = await startLiveServer();
    h = await startWebConsoleHarness(server, { tls: false });
  });

  afterAll(async () => {
    await h.close();
    await server.close();
  });

  it('tells the renderer where tip media is read', async () => {
    const tab = await RpcTestClient.connect(h.web);
    try {
      const info = await tab.value<{ tipMediaRoot: string }>('console.info', {});
      expect(info.tipMediaRoot).toBe('/tip-media/');
    } finally {
      tab.close();
    }
  });

  it('refuses a token no signed-in tab opened, uncached, and anything but GET', async () => {
    const analyst = await server.user('analyst');
    const tab = await RpcTestClient.connect(h.web);
    try {
      await tab.value('session.signIn', await server.signInArgs(analyst));
      const url = `${h.web.origin}/tip-media/${'Q'.repeat(32)}/0/original`;
      const res = await fetch(url);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toBe('no such media\n');
      const post = await fetch(url, { method: 'POST' });
      expect(post.status).toBe(405);
      const odd = await fetch(`${h.web.origin}/tip-media/..%2F..%2Fetc%2Fpasswd/0/original`);
      expect(odd.status).toBe(404);
    } finally {
      tab.close();
    }
  });
});
