import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import {
  createServer,
  get as httpGet,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openMediaStore, type MediaStore } from '../../../server/media/mediaStore';
import {
  fetchProviderMedia,
  magicAgrees,
  pinnedLookup,
  providerRequestHeaders,
  type HostLookup,
  type ProviderMediaOptions,
} from '../../../server/tips/mediaFetch';

/**
 * Fetching an MMS attachment from a provider double on 127.0.0.1 that protects its media the way
 * Twilio does (HTTP Basic with the account SID and token, then a redirect to the file).
 */

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'tok-3f9a7c1e5b2d4f6a8c0e';
const MEDIA = `/2010-04-01/Accounts/${SID}/Messages/MM00000000000000000000000000000001/Media`;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]);
const PNG = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(500)]);
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypmp42\0\0\0\0mp42isom', 'latin1'),
  randomBytes(4000),
]);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Seen {
  readonly url: string;
  readonly authorization: string | undefined;
}

let provider: Server;
let origin = '';
let seen: Seen[] = [];
let dir = '';
let store: MediaStore;

const basicOk = (req: IncomingMessage) =>
  req.headers.authorization === `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;

/** An endless body without a length, written as fast as the client reads it. */
function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'video/mp4' });
  res.write(MP4.subarray(0, 64));
  const more = () => {
    while (!res.destroyed && res.write(randomBytes(16_384)));
    if (!res.destroyed) res.once('drain', more);
  };
  more();
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/photo': (_req, res) => res.writeHead(307, { location: '/files/photo.jpg' }).end(),
  '/files/photo.jpg': (_req, res) =>
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length }).end(JPEG),
  '/png': (_req, res) =>
    res.writeHead(200, { 'content-type': 'IMAGE/PNG; charset=binary' }).end(PNG),
  '/video': (_req, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end(MP4),
  '/to-private-host': (_req, res) =>
    res.writeHead(302, { location: 'https://media.cdn.example.com/ME1' }).end(),
  '/to-mixed-host': (_req, res) =>
    res.writeHead(302, { location: 'https://mixed.cdn.example.com/ME1' }).end(),
  '/to-unknown-host': (_req, res) =>
    res.writeHead(302, { location: 'https://nowhere.cdn.example.com/ME1' }).end(),
  '/to-mapped-literal': (req, res) =>
    res
      .writeHead(302, { location: `https://[::ffff:127.0.0.1]:${req.socket.localPort}/files/x` })
      .end(),
  '/to-metadata': (_req, res) =>
    res.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' }).end(),
  '/to-http': (_req, res) =>
    res.writeHead(302, { location: 'http://media.cdn.example.com/ME1' }).end(),
  '/loop': (req, res) => res.writeHead(302, { location: req.url }).end(),
  '/html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
  '/no-type': (_req, res) => res.writeHead(200).end(JPEG),
  '/png-as-jpeg': (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(PNG),
  '/text-as-mp4': (_req, res) =>
    res.writeHead(200, { 'content-type': 'video/mp4' }).end('#EXTM3U\n#EXT-X-VERSION:3\n'),
  '/tiny-as-jpeg': (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('hi'),
  '/big-declared': (_req, res) =>
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 50_000 }).end(),
  '/big-endless': (_req, res) => endless(res),
  '/gone': (_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{}'),
  '/failing': (_req, res) => res.writeHead(500).end(),
  '/unavailable': (_req, res) => res.writeHead(503).end(),
  '/slow': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length });
    res.write(JPEG.subarray(0, 100)); // and the rest never comes
  },
  '/cut': (req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length });
    res.write(JPEG.subarray(0, 100), () => req.socket.destroy());
  },
};

beforeAll(async () => {
  provider = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const path = (req.url ?? '').startsWith(MEDIA)
      ? (req.url ?? '').slice(MEDIA.length)
      : (req.url ?? '');
    if ((req.url ?? '').startsWith('/2010-04-01/') && !basicOk(req)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Twilio API"' }).end();
      return;
    }
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});

afterAll(async () => {
  provider.closeAllConnections();
  await new Promise<void>((resolve) => provider.close(() => resolve()));
});

beforeEach(async () => {
  seen = [];
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'wf-tipmedia-'));
  store = await openMediaStore(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A resolver where the CDN's names point wherever a test needs (here: nowhere public). */
const lookup: HostLookup = async (host) => {
  if (host === 'media.cdn.example.com') return [{ address: '127.0.0.1', family: 4 }];
  if (host === 'mixed.cdn.example.com') {
    return [
      { address: '93.184.215.14', family: 4 },
      { address: 'fd12:3456::1', family: 6 },
    ];
  }
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

function options(overrides: Partial<ProviderMediaOptions> = {}): ProviderMediaOptions {
  return {
    accountSid: SID,
    authToken: TOKEN,
    apiUrl: origin,
    maxBytes: 10_000,
    allowedTypes: ['image/jpeg', 'image/png', 'image/gif', 'video/mp4', 'video/quicktime'],
    store,
    lookup,
    ...overrides,
  };
}

async function stored(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('an attachment the provider serves', () => {
  it('is fetched with Basic auth through a same-origin redirect and stored by its hash', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/photo`, options());
    expect(got).toEqual({
      ok: true,
      sha256: sha(JPEG),
      size: JPEG.length,
      contentType: 'image/jpeg',
    });
    expect(seen.map((s) => s.url)).toEqual([`${MEDIA}/photo`, '/files/photo.jpg']);
    expect(seen.every((s) => s.authorization?.startsWith('Basic '))).toBe(true);
    expect(await store.verify(sha(JPEG))).toBe(true);
  });

  it('reads the type without its parameters and in any case', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/png`, options());
    expect(got).toMatchObject({ ok: true, sha256: sha(PNG), contentType: 'image/png' });
  });

  it('takes a video without a declared length', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/video`, options());
    expect(got).toMatchObject({ ok: true, sha256: sha(MP4), size: MP4.length });
  });

  it('is the same stored file when fetched twice (a retry after a lost answer)', async () => {
    await fetchProviderMedia(`${origin}${MEDIA}/photo`, options());
    const again = await fetchProviderMedia(`${origin}${MEDIA}/photo`, options());
    expect(again).toMatchObject({ ok: true, sha256: sha(JPEG) });
    expect(await stored()).toEqual([sha(JPEG)]);
  });
});

describe('addresses the server never requests', () => {
  const refusedUrls: readonly [string, () => string][] = [
    [
      'another host name for the same server',
      () => `${origin.replace('127.0.0.1', 'localhost')}${MEDIA}/photo`,
    ],
    ['https where the API is http', () => `${origin.replace('http:', 'https:')}${MEDIA}/photo`],
    ['another port', () => `http://127.0.0.1:1${MEDIA}/photo`],
    [
      'another account',
      () =>
        `${origin}/2010-04-01/Accounts/AC99999999999999999999999999999999/Messages/MM1/Media/ME1`,
    ],
    ['a path out of the account', () => `${origin}/2010-04-01/Accounts/${SID}/../AC9/Media/ME1`],
    [
      'an encoded path out of the account',
      () => `${origin}/2010-04-01/Accounts/${SID}/%2e%2e/AC9/Media/ME1`,
    ],
    ['the account as a prefix of another', () => `${origin}/2010-04-01/Accounts/${SID}0/Media/ME1`],
    ['outside the API version', () => `${origin}/files/photo.jpg`],
    ['credentials in the address', () => `http://user:pw@${origin.slice(7)}${MEDIA}/photo`],
    ['a file URL', () => `file:///etc/passwd`],
    ['not a URL', () => `not a url`],
  ];

  it.each(refusedUrls)('refuses %s before sending anything', async (_name, url) => {
    const got = await fetchProviderMedia(url(), options());
    expect(got).toMatchObject({ ok: false, retryable: false });
    expect(seen).toEqual([]);
  });

  it('refuses every URL when the account SID could step out of its path', async () => {
    const got = await fetchProviderMedia(
      `${origin}${MEDIA}/photo`,
      options({ accountSid: `${SID}/..` }),
    );
    expect(got).toMatchObject({ ok: false, retryable: false });
    expect(seen).toEqual([]);
  });

  it('refuses every URL when the API URL is not one', async () => {
    for (const apiUrl of ['not a url', 'ftp://127.0.0.1/']) {
      const got = await fetchProviderMedia(`${origin}${MEDIA}/photo`, options({ apiUrl }));
      expect(got).toMatchObject({ ok: false, retryable: false });
    }
    expect(seen).toEqual([]);
  });

  it('trusts only the configured API origin, by default Twilio’s', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/photo`, options({ apiUrl: undefined }));
    expect(got).toMatchObject({
      ok: false,
      reason: "The media address is not on the provider's API host.",
    });
    expect(seen).toEqual([]);
  });
});

describe('redirects', () => {
  it('refuses a host name that resolves to a private address, before connecting', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/to-private-host`, options());
    expect(got).toEqual({
      ok: false,
      reason:
        'The provider redirected to a private network address, which the server does not fetch from.',
      retryable: false,
    });
    expect(seen.map((s) => s.url)).toEqual([`${MEDIA}/to-private-host`]);
  });

  it('refuses a host name with one private address among public ones', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/to-mixed-host`, options());
    expect(got).toMatchObject({
      ok: false,
      retryable: false,
      reason: expect.stringContaining('private'),
    });
  });

  it.each(['/to-mapped-literal', '/to-metadata'])(
    'refuses the private address literal of %s',
    async (path) => {
      const got = await fetchProviderMedia(`${origin}${MEDIA}${path}`, options());
      expect(got).toMatchObject({
        ok: false,
        retryable: false,
        reason: expect.stringContaining('private'),
      });
      expect(seen).toHaveLength(1);
    },
  );

  it('refuses a host name that resolves to the IPv6 loopback', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/to-private-host`, {
      ...options(),
      lookup: async () => [{ address: '::1', family: 6 }],
    });
    expect(got).toMatchObject({ ok: false, reason: expect.stringContaining('private') });
  });

  it('gives up on a host that cannot be found, for now', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/to-unknown-host`, options());
    expect(got).toEqual({
      ok: false,
      reason: 'The host the provider redirected to could not be found.',
      retryable: true,
    });
  });

  it('gives up on a resolver that does not answer, for now', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/to-unknown-host`, {
      ...options(),
      timeoutMs: 200,
      lookup: () => new Promise(() => undefined),
    });
    expect(got).toEqual({
      ok: false,
      reason: 'The provider did not send the file in time.',
      retryable: true,
    });
  });

  it('refuses a foreign target that is not https', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/to-http`, options());
    expect(got).toEqual({
      ok: false,
      reason: 'The provider redirected to an address that is not https.',
      retryable: false,
    });
  });

  it('follows five redirects and refuses the sixth', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/loop`, options());
    expect(got).toEqual({
      ok: false,
      reason: 'The provider redirected more than 5 times.',
      retryable: false,
    });
    expect(seen).toHaveLength(6);
  });

  it('connects to the checked address, whatever the name resolves to later', async () => {
    // A name that no resolver knows reaches the provider double only through the pinned answer.
    const port = (provider.address() as AddressInfo).port;
    const status = await new Promise<number>((resolve, reject) => {
      httpGet(
        `http://cdn.example.invalid:${port}/files/photo.jpg`,
        { agent: false, lookup: pinnedLookup({ address: '127.0.0.1', family: 4 }) },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).once('error', reject);
    });
    expect(status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/files/photo.jpg']);
  });

  it('sends the credentials only to the API origin', () => {
    const credentials = { accountSid: SID, authToken: TOKEN };
    const api = 'https://api.twilio.com';
    expect(
      providerRequestHeaders(new URL(`${api}${MEDIA}/ME1`), api, credentials).authorization,
    ).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    for (const foreign of [
      'https://s3-external-1.amazonaws.com/media.twiliocdn.com/ME1',
      'https://api.twilio.com.evil.example/ME1',
      'http://api.twilio.com/ME1',
      'https://api.twilio.com:8443/ME1',
    ]) {
      expect(providerRequestHeaders(new URL(foreign), api, credentials)).not.toHaveProperty(
        'authorization',
      );
    }
  });
});

describe('what comes back', () => {
  it('refuses a type the tip line does not take', async () => {
    expect(await fetchProviderMedia(`${origin}${MEDIA}/html`, options())).toEqual({
      ok: false,
      reason: 'The tip line does not take files of this type (text/html).',
      retryable: false,
    });
    expect(await fetchProviderMedia(`${origin}${MEDIA}/no-type`, options())).toMatchObject({
      ok: false,
      reason: 'The tip line does not take files of this type (no type given).',
    });
  });

  it.each([
    ['/png-as-jpeg', 'The file claims to be a JPEG image but its content is not.'],
    ['/text-as-mp4', 'The file claims to be an MP4 video but its content is not.'],
    ['/tiny-as-jpeg', 'The file claims to be a JPEG image but its content is not.'],
  ])('refuses %s whose first bytes disagree with its type', async (path, reason) => {
    expect(await fetchProviderMedia(`${origin}${MEDIA}${path}`, options())).toEqual({
      ok: false,
      reason,
      retryable: false,
    });
    expect(await stored()).toEqual([]);
  });

  it('refuses a file declared larger than the limit without reading it', async () => {
    expect(await fetchProviderMedia(`${origin}${MEDIA}/big-declared`, options())).toEqual({
      ok: false,
      reason: 'The file is larger than 10 kB.',
      retryable: false,
    });
  });

  it('stops reading a file without a length once it passes the limit', async () => {
    const got = await fetchProviderMedia(
      `${origin}${MEDIA}/big-endless`,
      options({ maxBytes: 20 * 1024 * 1024 }),
    );
    expect(got).toEqual({ ok: false, reason: 'The file is larger than 20 MB.', retryable: false });
    expect(await stored()).toEqual([]);
  });

  it('says the credentials were refused, without repeating them', async () => {
    const got = await fetchProviderMedia(
      `${origin}${MEDIA}/photo`,
      options({ authToken: 'wrong-token' }),
    );
    expect(got).toEqual({
      ok: false,
      reason: 'The provider refused the credentials.',
      retryable: false,
    });
    expect(JSON.stringify(got)).not.toContain('wrong-token');
  });

  it('says a file the provider no longer has is gone for good', async () => {
    expect(await fetchProviderMedia(`${origin}${MEDIA}/gone`, options())).toEqual({
      ok: false,
      reason: 'The provider no longer has this file.',
      retryable: false,
    });
  });

  it.each([
    ['/failing', 'The provider had a temporary error (HTTP 500).'],
    ['/unavailable', 'The provider had a temporary error (HTTP 503).'],
  ])('tries %s again later', async (path, reason) => {
    expect(await fetchProviderMedia(`${origin}${MEDIA}${path}`, options())).toEqual({
      ok: false,
      reason,
      retryable: true,
    });
  });

  it('gives up on a provider too slow to send the file, for now', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/slow`, options({ timeoutMs: 300 }));
    expect(got).toEqual({
      ok: false,
      reason: 'The provider did not send the file in time.',
      retryable: true,
    });
    expect(await stored()).toEqual([]);
  });

  it('keeps nothing of a file whose connection broke off', async () => {
    const got = await fetchProviderMedia(`${origin}${MEDIA}/cut`, options());
    expect(got).toEqual({
      ok: false,
      reason: 'The connection to the provider broke off before the whole file arrived.',
      retryable: true,
    });
    expect(await stored()).toEqual([]);
  });

  it('says a provider that is not there cannot be reached, for now', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const api = `http://127.0.0.1:${port}`;
    expect(await fetchProviderMedia(`${api}${MEDIA}/photo`, options({ apiUrl: api }))).toEqual({
      ok: false,
      reason: 'The provider could not be reached.',
      retryable: true,
    });
  });
});

describe('first bytes of each type', () => {
  const ftyp = (brand: string) => Buffer.from(`\0\0\0\x18ftyp${brand}\0\0\0\0`, 'latin1');
  it.each([
    ['image/jpeg', JPEG, true],
    ['image/jpeg', PNG, false],
    ['image/png', PNG, true],
    ['image/gif', Buffer.from('GIF89a\x01\0\x01\0'), true],
    ['image/gif', JPEG, false],
    ['video/mp4', ftyp('isom'), true],
    ['video/3gpp', ftyp('3gp4'), true],
    ['video/quicktime', ftyp('qt  '), true],
    ['video/quicktime', Buffer.from('\0\0\0\x08wide\0\0\0\x10mdat', 'latin1'), true],
    ['video/mp4', Buffer.from('\0\0\0\x08wide\0\0\0\x10mdat', 'latin1'), false],
    ['image/heic', ftyp('heic'), true],
    ['image/heic', JPEG, false],
    ['application/x-unknown', JPEG, null],
  ] as const)('%s', (type, bytes, agrees) => {
    expect(magicAgrees(type, bytes)).toBe(agrees);
  });
});
