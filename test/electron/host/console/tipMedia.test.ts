import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  TipMediaGrants,
  fetchTipMedia,
  grantKey,
  parseTipMediaPath,
  type TipMediaAnswer,
} from '../../../../electron/host/console/tipMedia';
import { ServerHttp } from '../../../../electron/host/serverLink/serverHttp';
import { HostCallError } from '../../../../electron/host/calls/hostCallError';

/**
 * The host's tip media route against a stub of the server's `GET /v1/tip-media/:token/:n/:variant`
 * on 127.0.0.1: bytes, type, length and ranges pass through; nothing else does.
 */

const TOKEN = 'Zk3_q9-LmN0pQrStUvWxYz12';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const VIDEO = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let upstream: Server;
let http: ServerHttp;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const report = /^\/v1\/online-reports\/[^/]+\/files\/(\d+)$/.exec(req.url ?? '');
    if (report) {
      // 1: a PDF as the server sends it; 2: a PDF whose disposition was tampered with on the
      // way; 3: a document the server would never send, claiming to be shown in place.
      const disposition = {
        '1': `attachment; filename="Receipt (store).pdf"; filename*=UTF-8''Receipt%20%28store%29.pdf`,
        '2': 'attachment; filename="../../startup/a.pdf"',
        '3': 'inline',
      }[report[1]!];
      res.writeHead(200, {
        'content-type': report[1] === '3' ? 'text/html' : 'application/pdf',
        'content-disposition': disposition ?? 'inline',
        'content-length': String(PDF.length),
      });
      res.end(PDF);
      return;
    }
    const m = /^\/v1\/tip-media\/([^/]+)\/(\d+)\/(\w+)$/.exec(req.url ?? '');
    if (!m || m[1] !== TOKEN || req.headers.authorization !== 'Bearer access-1') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'no such media' }));
      return;
    }
    if (m[2] === '9') {
      // A server answering with a page must not put a page on the console's origin.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<script>alert(1)</script>');
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : VIDEO.length - 1;
      if (start >= VIDEO.length) {
        res.writeHead(416, { 'content-range': `bytes */${VIDEO.length}` });
        res.end();
        return;
      }
      res.writeHead(206, {
        'content-type': 'video/mp4',
        'content-length': String(end - start + 1),
        'content-range': `bytes ${start}-${end}/${VIDEO.length}`,
        'accept-ranges': 'bytes',
        'set-cookie': 'nope=1',
      });
      res.end(VIDEO.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, {
      'content-type': 'video/mp4',
      'content-length': String(VIDEO.length),
      'accept-ranges': 'bytes',
      'cache-control': 'public, max-age=86400',
    });
    res.end(VIDEO);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  http = new ServerHttp({ baseUrl: `http://127.0.0.1:${port}` });
});

afterAll(async () => {
  http.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

const session = {
  stream: (
    path: string,
    options: { readonly headers?: Readonly<Record<string, string>>; readonly signal?: AbortSignal },
  ) => http.stream(path, { ...options, bearer: 'access-1' }),
};
const ownsToken = (t: string) => t === TOKEN;

async function bytesOf(answer: TipMediaAnswer): Promise<Buffer> {
  if (typeof answer.body === 'string') return Buffer.from(answer.body);
  const chunks: Buffer[] = [];
  for await (const chunk of answer.body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('tip media through the host', () => {
  it('parses only <token>/<n>/<variant> with a URL-safe token and the three variants', () => {
    expect(parseTipMediaPath(`${TOKEN}/0/original`)).toEqual({
      kind: 'tip',
      token: TOKEN,
      n: 0,
      variant: 'original',
    });
    expect(parseTipMediaPath(`${TOKEN}/12/playable`)?.n).toBe(12);
    for (const bad of [
      `${TOKEN}/0/thumbnail`,
      `${TOKEN}/100/original`,
      `${TOKEN}/-1/original`,
      `short/0/original`,
      `${TOKEN}%2F../0/original`,
      `${TOKEN}.x/0/preview`,
      `${TOKEN}/0/original/extra`,
      `../${TOKEN}/0/original`,
    ]) {
      expect(parseTipMediaPath(bad)).toBeNull();
    }
  });

  it('parses an alert evidence path: alert/<alert id>/<n>/original, and nothing else of that kind', () => {
    const id = '3f2b6c1e-8d4a-4c1f-9e2b-0a1b2c3d4e5f';
    expect(parseTipMediaPath(`alert/${id}/1/original`)).toEqual({
      kind: 'alert',
      token: id,
      n: 1,
      variant: 'original',
    });
    expect(grantKey('alert', id)).toBe(`alert/${id}`);
    expect(grantKey('tip', TOKEN)).toBe(TOKEN);
    for (const bad of [
      `alert/${id}/1/preview`,
      `alert/${id.toUpperCase()}/1/original`,
      `alert/${id}x/1/original`,
      `alert/../${id}/1/original`,
      `alerts/${id}/1/original`,
    ]) {
      expect(parseTipMediaPath(bad)).toBeNull();
    }
  });

  it("asks the server for an alert's evidence by the alert and image, only for an opened alert", async () => {
    const id = '3f2b6c1e-8d4a-4c1f-9e2b-0a1b2c3d4e5f';
    const asked: string[] = [];
    const recording = {
      stream: (path: string, o: Parameters<typeof session.stream>[1]) => {
        asked.push(path);
        return session.stream(path, o);
      },
    };
    const refused = await fetchTipMedia(
      recording,
      () => false,
      `alert/${id}/1/original`,
      undefined,
    );
    expect(refused.status).toBe(404);
    expect(asked).toEqual([]);
    await fetchTipMedia(recording, (k) => k === `alert/${id}`, `alert/${id}/1/original`, undefined);
    expect(asked).toEqual([`/v1/alerts/${id}/evidence/1`]);
  });

  it("asks the server for an evidence link's clip by its token, only for a link this session opened", async () => {
    const token = 'aB3_'.repeat(10) + 'x-Z';
    expect(parseTipMediaPath(`evidence/${token}/0/original`)).toEqual({
      kind: 'evidence',
      token,
      n: 0,
      variant: 'original',
    });
    for (const bad of [
      `evidence/${token}/1/original`,
      `evidence/${token}/0/playable`,
      `evidence/${token}x/0/original`,
      `evidence/${token.slice(1)}/0/original`,
      `evidence/../${token}/0/original`,
    ]) {
      expect(parseTipMediaPath(bad)).toBeNull();
    }
    const asked: string[] = [];
    const recording = {
      stream: (path: string, o: Parameters<typeof session.stream>[1]) => {
        asked.push(path);
        return session.stream(path, o);
      },
    };
    const path = `evidence/${token}/0/original`;
    expect((await fetchTipMedia(recording, (k) => k === token, path, undefined)).status).toBe(404);
    expect(asked).toEqual([]);
    await fetchTipMedia(recording, (k) => k === grantKey('evidence', token), path, undefined);
    expect(asked).toEqual([`/v1/evidence/links/${token}/video`]);
  });

  it('parses an online report file path: online-report/<report id>/<n>/original, and nothing else of that kind', () => {
    const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    expect(parseTipMediaPath(`online-report/${id}/2/original`)).toEqual({
      kind: 'online-report',
      token: id,
      n: 2,
      variant: 'original',
    });
    expect(grantKey('online-report', id)).toBe(`online-report/${id}`);
    for (const bad of [
      `online-report/${id}/2/preview`,
      `online-report/${id}/100/original`,
      `online-report/${id.toUpperCase()}/2/original`,
      `online-report/${id}/../2/original`,
      `online-reports/${id}/2/original`,
      `online-report/${TOKEN}/2/original`,
    ]) {
      expect(parseTipMediaPath(bad)).toBeNull();
    }
  });

  it("asks the server for a report's file only once this session opened the report's files, and saves a PDF under the server's name", async () => {
    const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const path = `online-report/${id}/1/original`;
    const refused = await fetchTipMedia(session, (k) => k === `alert/${id}`, path, undefined);
    expect(refused.status).toBe(404);
    expect(seen).toEqual([]);
    const owns = (k: string) => k === grantKey('online-report', id);
    const pdf = await fetchTipMedia(session, owns, path, undefined);
    expect(seen.map((s) => s.url)).toEqual([`/v1/online-reports/${id}/files/1`]);
    expect(pdf.status).toBe(200);
    expect(pdf.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="Receipt (store).pdf"; filename*=UTF-8''Receipt%20%28store%29.pdf`,
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
      'x-content-type-options': 'nosniff',
    });
    expect((await bytesOf(pdf)).equals(PDF)).toBe(true);
    // A disposition that is not in the server's form is not passed on: a plain attachment.
    const odd = await fetchTipMedia(session, owns, `online-report/${id}/2/original`, undefined);
    expect(odd.headers['content-disposition']).toBe('attachment');
    await bytesOf(odd);
    // What is neither a photo, a video nor a PDF is saved as bytes, never shown.
    const page = await fetchTipMedia(session, owns, `online-report/${id}/3/original`, undefined);
    expect(page.headers['content-type']).toBe('application/octet-stream');
    expect(page.headers['content-disposition']).toBe('attachment');
    await bytesOf(page);
  });

  it('streams the file with its type and length, never cached, with the session’s token', async () => {
    const answer = await fetchTipMedia(session, ownsToken, `${TOKEN}/1/playable`, undefined);
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
      'content-type': 'video/mp4',
      'content-disposition': 'inline',
      'content-length': '1000',
      'accept-ranges': 'bytes',
    });
    expect((await bytesOf(answer)).equals(VIDEO)).toBe(true);
    expect(seen[0]!.url).toBe(`/v1/tip-media/${TOKEN}/1/playable`);
    expect(seen[0]!.headers.authorization).toBe('Bearer access-1');
  });

  it('passes a byte range on and the partial answer back (video seeking)', async () => {
    const answer = await fetchTipMedia(session, ownsToken, `${TOKEN}/1/playable`, 'bytes=100-199');
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe('bytes 100-199/1000');
    expect(answer.headers['content-length']).toBe('100');
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect((await bytesOf(answer)).equals(VIDEO.subarray(100, 200))).toBe(true);
    const beyond = await fetchTipMedia(session, ownsToken, `${TOKEN}/1/playable`, 'bytes=5000-');
    expect([beyond.status, beyond.headers['content-range']]).toEqual([416, 'bytes */1000']);
  });

  it('drops a malformed range instead of passing it on', async () => {
    const answer = await fetchTipMedia(
      session,
      ownsToken,
      `${TOKEN}/1/preview`,
      'bytes=0-1, 5-6\r\nx-evil: 1',
    );
    expect(answer.status).toBe(200);
    await bytesOf(answer);
    expect(seen[0]!.headers.range).toBeUndefined();
  });

  it('refuses a grant this session did not open, without asking the server', async () => {
    const answer = await fetchTipMedia(session, () => false, `${TOKEN}/0/original`, undefined);
    expect(answer.status).toBe(404);
    expect(seen).toEqual([]);
    const bad = await fetchTipMedia(session, () => true, `${TOKEN}/0/everything`, undefined);
    expect(bad.status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('passes the server’s 404 on as a short text, and never a page as a page', async () => {
    const other = 'A'.repeat(24);
    const missing = await fetchTipMedia(session, () => true, `${other}/0/original`, undefined);
    expect([missing.status, missing.body]).toEqual([404, 'no such media\n']);
    const page = await fetchTipMedia(session, ownsToken, `${TOKEN}/9/original`, undefined);
    expect(page.headers['content-type']).toBe('application/octet-stream');
    await bytesOf(page);
  });

  it('a locked or signed-out session gets no media', async () => {
    const locked = {
      stream: async () => {
        throw new HostCallError('locked', 'The console is locked: unlock it first.');
      },
    };
    const answer = await fetchTipMedia(locked, ownsToken, `${TOKEN}/0/original`, undefined);
    expect([answer.status, answer.body]).toEqual([
      423,
      'The console is locked: unlock it first.\n',
    ]);
  });

  it('remembers the grants a session opened until they expire or the session ends', () => {
    const grants = new TipMediaGrants();
    const now = Date.parse('2026-11-29T12:00:00.000Z');
    grants.opened({ token: TOKEN, expiresAt: '2026-11-29T12:10:00.000Z' }, now);
    grants.opened({ token: 'B'.repeat(24), expiresAt: '2026-11-29T11:59:00.000Z' }, now);
    expect(grants.owns(TOKEN, now)).toBe(true);
    expect(grants.owns('B'.repeat(24), now)).toBe(false);
    expect(grants.owns(TOKEN, Date.parse('2026-11-29T12:10:00.000Z'))).toBe(false);
    grants.clear();
    expect(grants.owns(TOKEN, now)).toBe(false);
  });
});
