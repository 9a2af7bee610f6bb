import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LoginReplySchema } from '../../../../shared/api/auth';
import { HostCallError } from '../../../../electron/host/calls/hostCallError';
import { ServerHttp } from '../../../../electron/host/serverLink/serverHttp';
import {
  ServerLink,
  type LinkOwner,
  type LinkTokens,
} from '../../../../electron/host/serverLink/serverLink';
import { startLiveServer, type LiveServer } from '../support/liveServer';

// One server for the file (a PGlite start costs seconds); each test signs in a user of its own.
let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server.close();
});
const cleanups: (() => void)[] = [];
afterEach(async () => {
  while (cleanups.length) cleanups.pop()!();
  await server.start();
});

/** What the link told its session, in order. */
interface Heard {
  readonly ended: string[];
  renewed: number;
  changed: number;
  contacted: number;
}

async function signedIn(): Promise<{ readonly http: ServerHttp; readonly tokens: LinkTokens }> {
  const user = await server.user('analyst');
  const http = new ServerHttp({ baseUrl: server.url, timeoutMs: 3_000 });
  cleanups.push(() => http.close());
  const reply = await http.request('POST', '/v1/auth/login', {
    body: await server.signInArgs(user),
  });
  const login = LoginReplySchema.parse(reply.body);
  return {
    http,
    tokens: {
      access: login.accessToken,
      accessExpiresAt: Date.parse(login.accessTokenExpiresAt),
      refresh: login.refreshToken,
      refreshExpiresAt: Date.parse(login.refreshTokenExpiresAt),
      sessionId: login.sessionId,
    },
  };
}

function linkWith(
  http: ServerHttp,
  tokens: LinkTokens,
): { readonly link: ServerLink; readonly heard: Heard } {
  const heard: Heard = { ended: [], renewed: 0, changed: 0, contacted: 0 };
  const owner: LinkOwner = {
    ended: async (message) => {
      heard.ended.push(message);
      return 'Sign in again.';
    },
    renewed: async () => {
      heard.renewed += 1;
    },
    changed: () => {
      heard.changed += 1;
    },
    contacted: () => {
      heard.contacted += 1;
    },
  };
  const link = new ServerLink({
    server: http,
    tokens,
    owner,
    clock: server.clock,
    logger: pino({ level: 'silent' }),
    refreshMarginMs: 60_000,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
  });
  return { link, heard };
}

describe('ServerLink requests', () => {
  it('answers with the access token it holds, and tells the session the server heard it', async () => {
    const { http, tokens } = await signedIn();
    const { link, heard } = linkWith(http, tokens);
    const me = await link.request('GET', '/v1/auth/me');
    expect(me.status).toBe(200);
    expect(heard).toEqual({ ended: [], renewed: 0, changed: 0, contacted: 1 });
  });

  it('on a 401 refreshes once and sends again with the new token', async () => {
    const { http, tokens } = await signedIn();
    const { link, heard } = linkWith(http, { ...tokens, access: 'not-a-token' });
    const me = await link.request('GET', '/v1/auth/me');
    expect(me.status).toBe(200);
    expect(heard.renewed).toBe(1);
    expect(link.kept().refreshToken).not.toBe(tokens.refresh);
  });

  it('lets many callers waiting on an expired token share one refresh', async () => {
    const { http, tokens } = await signedIn();
    // A restart keeps no access token: every caller finds the refresh due at once.
    const { link, heard } = linkWith(http, { ...tokens, access: '', accessExpiresAt: 0 });
    const bearers = await Promise.all([1, 2, 3, 4, 5].map(() => link.bearer()));
    expect(new Set(bearers).size).toBe(1);
    // A second swap would have presented the rotated refresh token and ended the session.
    expect(heard).toMatchObject({ renewed: 1, ended: [] });
    expect((await link.request('GET', '/v1/auth/me')).status).toBe(200);
  });

  it('ends the session with the server’s message when the server no longer knows it', async () => {
    const { http, tokens } = await signedIn();
    const { link, heard } = linkWith(http, tokens);
    await server.store.store.query('update sessions set revoked_at = now() where id = $1', [
      tokens.sessionId,
    ]);
    const failure = await link.request('GET', '/v1/auth/me').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HostCallError);
    expect(failure).toMatchObject({ code: 'signed_out', message: 'Sign in again.' });
    expect(heard.ended).toHaveLength(1);
    expect(heard.ended[0]).toEqual(expect.any(String));
    expect(heard.contacted).toBe(0);
  });

  it('ends the session on the server at logout while its access token is live', async () => {
    const { http, tokens } = await signedIn();
    const { link } = linkWith(http, tokens);
    await link.logout();
    await expect(link.request('GET', '/v1/auth/me')).rejects.toMatchObject({
      code: 'signed_out',
    });
    const again = linkWith(http, tokens);
    await expect(again.link.request('GET', '/v1/auth/me')).rejects.toMatchObject({
      code: 'signed_out',
    });
    expect(again.heard.ended).toHaveLength(1);
  });
});

describe('ServerLink once closed', () => {
  it('sends nothing more and tells the session nothing', async () => {
    const { http, tokens } = await signedIn();
    const { link, heard } = linkWith(http, { ...tokens, access: '', accessExpiresAt: 0 });
    link.close();
    await expect(link.request('GET', '/v1/auth/me')).rejects.toMatchObject({
      code: 'signed_out',
    });
    await expect(link.bearer()).rejects.toMatchObject({ code: 'signed_out' });
    await link.tick(server.clock.now() + 10 * 60_000);
    expect(heard).toEqual({ ended: [], renewed: 0, changed: 0, contacted: 0 });
    // The refresh token was never spent: it still renews a link that is open.
    const open = linkWith(http, { ...tokens, access: '', accessExpiresAt: 0 });
    expect(await open.link.bearer()).toEqual(expect.any(String));
  });

  it('drops a refresh that was under way when it closed, instead of renewing', async () => {
    const { http, tokens } = await signedIn();
    const { link, heard } = linkWith(http, { ...tokens, access: '', accessExpiresAt: 0 });
    const pending = link.bearer();
    link.close();
    await expect(pending).rejects.toMatchObject({ code: 'signed_out' });
    expect(heard.renewed).toBe(0);
  });
});

describe('ServerLink offline', () => {
  it('goes offline when the server is unreachable, retries with backoff, and comes back', async () => {
    const { http, tokens } = await signedIn();
    const { link, heard } = linkWith(http, tokens);
    await server.stop();

    await expect(link.request('GET', '/v1/auth/me')).rejects.toMatchObject({ code: 'offline' });
    expect(link.offline).toMatchObject({ attempt: 0, retryAt: server.clock.now() + 1_000 });
    // While offline, requests are refused at once rather than sent.
    await expect(link.request('GET', '/v1/auth/me')).rejects.toMatchObject({ code: 'offline' });

    await link.tick(server.clock.now());
    expect(link.offline).toMatchObject({ attempt: 0 });
    server.clock.advance(1_000);
    await link.tick(server.clock.now());
    expect(link.offline).toMatchObject({ attempt: 1, retryAt: server.clock.now() + 2_000 });
    server.clock.advance(2_000);
    await link.tick(server.clock.now());
    expect(link.offline).toMatchObject({ attempt: 2, retryAt: server.clock.now() + 4_000 });

    await server.start();
    server.clock.advance(4_000);
    await link.tick(server.clock.now());
    expect(link.offline).toBeNull();
    expect((await link.request('GET', '/v1/auth/me')).status).toBe(200);
    // Offline, then each of the three retries as it starts and as it ends (the last one back).
    expect(heard.changed).toBe(7);
  });
});
