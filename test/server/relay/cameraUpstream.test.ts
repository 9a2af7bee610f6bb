import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openUpstream,
  parseDigestChallenge,
  UpstreamError,
} from '../../../server/relay/cameraUpstream';

/**
 * The relay's pull from an HTTP camera: Basic credentials at once, Digest when the camera asks
 * (checked here the way a camera checks it, RFC 7616 with MD5 and qop=auth).
 */

const USER = 'viewer';
const PASSWORD = 'Pa55:w"rd';
const REALM = 'IP Camera(12345)';
const NONCE = 'b2c5e1f0a9d84c7e';
const md5 = (t: string) => createHash('md5').update(t).digest('hex');

let camera: Server;
let origin = '';

/** Checks a Digest answer as the camera would. */
function digestOk(header: string | undefined, uri: string): boolean {
  const p = parseDigestChallenge(header);
  if (!p || p.username !== USER.replace(/"/g, '\\"') || p.uri !== uri || p.nonce !== NONCE) {
    return false;
  }
  const ha1 = md5(`${USER}:${REALM}:${PASSWORD}`);
  const ha2 = md5(`GET:${uri}`);
  return p.response === md5(`${ha1}:${NONCE}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

beforeAll(async () => {
  camera = createServer((req, res) => {
    if (!digestOk(req.headers.authorization, req.url ?? '')) {
      res
        .writeHead(401, {
          'www-authenticate': `Digest realm="${REALM}", qop="auth", nonce="${NONCE}", opaque="0a1b", algorithm=MD5`,
        })
        .end();
      return;
    }
    res.writeHead(200, { 'content-type': 'video/mp2t' }).end('stream bytes');
  });
  await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(camera.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => camera.close(() => resolve()));
});

describe('pulling an HTTP camera that wants Digest', () => {
  it('answers the challenge with the credentials on file', async () => {
    const res = await openUpstream(
      new URL(`${origin}/live.ts?ch=1`),
      { username: USER, password: PASSWORD },
      new AbortController().signal,
    );
    expect(res.statusCode).toBe(200);
    let body = '';
    for await (const c of res) body += String(c);
    expect(body).toBe('stream bytes');
  });

  it('reports wrong credentials as a refusal, not as the camera being gone', async () => {
    await expect(
      openUpstream(
        new URL(`${origin}/live.ts`),
        { username: USER, password: 'wrong' },
        new AbortController().signal,
      ),
    ).rejects.toEqual(new UpstreamError('the camera refused the credentials on file', 502, 401));
  });
});
