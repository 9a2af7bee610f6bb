import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgency } from '../../../../server/agency/agencyRepository';
import { loadDemoAgency } from '../../../../server/demo/seedDemo';
import { SYSTEM_ACTOR } from '../../../../server/audit/actor';
import { createIntegration } from '../../../../server/integrations/integrationChanges';
import {
  postInbound,
  startTwilioDouble,
  twilioSid,
  type TwilioDouble,
} from '../../../../server/demo/twilioDouble';
import type { Tip } from '../../../../shared/domain/tips';
import { openMediaStore } from '../../../../server/media/mediaStore';
import { submitReport } from '../../../../server/onlineReports/onlineReportChanges';
import { REPORT_INPUT, UNVERIFIED } from '../../../server/portal/reportFixtures';
import { startLiveServer, type LiveServer } from '../support/liveServer';
import {
  RpcTestClient,
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../support/webConsoleHarness';

/**
 * The web console's `/tip-media/<tab key>/<token>/<n>/<variant>` route against a live server
 * whose tip line points at the SMS provider double: a photo texted to the line, fetched by the
 * server's media worker, is streamed to the tab that opened its grant, byte for byte and by
 * range, and to nobody else; an alert's image and an online report's files likewise, under the
 * same root. (The streaming's edge cases are console/tipMedia.test.ts.)
 */

const PUBLIC_URL = 'https://rtcc.example.gov';
const WEBHOOK_PATH = '/v1/ingest/twilio/sms';
const REASON = { code: 'active_incident', reference: '2026-000731' } as const;
/** A JPEG's first bytes, then enough of a body for ranges to mean something. */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200_000)]);

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('tip media route of the web console', () => {
  let server: LiveServer;
  let h: WebConsoleHarness;
  let double: TwilioDouble;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wf-tip-media-route-'));
    const accountSid = twilioSid('AC');
    const authToken = randomBytes(16).toString('hex');
    double = await startTwilioDouble({ accountSid, authToken });
    server = await startLiveServer({
      config: {
        smsProvider: {
          accountSid,
          authToken,
          publicUrl: PUBLIC_URL,
          apiUrl: double.url,
          from: '+13365550100',
          messagingServiceSid: undefined,
        },
        smsProviderMissing: '',
        mediaDir: join(dataDir, 'media'),
        tipKey: randomBytes(32).toString('hex'),
        tipKeyFile: join(dataDir, 'tip-key'),
      },
    });
    await setAgency(server.store.store, loadDemoAgency(), new Date(server.clock.now()));
    h = await startWebConsoleHarness(server, { tls: false });
  });

  afterAll(async () => {
    await h?.close();
    await server?.close();
    await double?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A tab signed in as a new analyst. */
  async function analystTab(): Promise<RpcTestClient> {
    const tab = await RpcTestClient.connect(h.web);
    await tab.value('session.signIn', await server.signInArgs(await server.user('analyst')));
    return tab;
  }

  it('gives each tab a root of its own for tip media', async () => {
    const [a, b] = [await RpcTestClient.connect(h.web), await RpcTestClient.connect(h.web)];
    try {
      const rootA = (await a.value<{ tipMediaRoot: string }>('console.info', {})).tipMediaRoot;
      const rootB = (await b.value<{ tipMediaRoot: string }>('console.info', {})).tipMediaRoot;
      expect(rootA).toMatch(/^\/tip-media\/[A-Za-z0-9_-]{20,}\/$/);
      expect(rootB).toMatch(/^\/tip-media\/[A-Za-z0-9_-]{20,}\/$/);
      expect(rootA).not.toBe(rootB);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a token no signed-in tab opened, uncached, and anything but GET', async () => {
    const tab = await analystTab();
    try {
      const root = (await tab.value<{ tipMediaRoot: string }>('console.info', {})).tipMediaRoot;
      const url = `${h.web.origin}${root}${'Q'.repeat(32)}/0/original`;
      const res = await fetch(url);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toBe('no such media\n');
      const post = await fetch(url, { method: 'POST' });
      expect(post.status).toBe(405);
      const odd = await fetch(`${h.web.origin}${root}..%2F..%2Fetc%2Fpasswd/0/original`);
      expect(odd.status).toBe(404);
    } finally {
      tab.close();
    }
  });

  it('streams a texted photo to the tab that opened it, whole and by range, and to no other tab', async () => {
    const photo = double.addMedia(PHOTO, 'image/jpeg');
    const answer = await postInbound(double.accountSid, double.authToken, {
      webhookUrl: `${server.url}${WEBHOOK_PATH}`,
      signUrl: `${PUBLIC_URL}${WEBHOOK_PATH}`,
      from: '+13365550142',
      to: '+13365550100',
      body: 'Photo of the van that keeps parking by the school',
      media: [photo],
    });
    expect(answer.status).toBe(200);
    await server.app().ctx.tasks.runNow('tips.media');
    expect(double.mediaRequests(photo.mediaSid)).toBe(1);

    const tab = await analystTab();
    const other = await analystTab();
    try {
      const { tips } = await tab.value<{ tips: Tip[] }>('tips.list', {});
      const tip = tips.find((t) => t.body.startsWith('Photo of the van'))!;
      expect(tip.attachments.map((a) => a.state)).toEqual(['stored']);
      const grant = await tab.value<{ token: string }>('tips.openMedia', {
        id: tip.id,
        reason: REASON,
      });
      const root = (await tab.value<{ tipMediaRoot: string }>('console.info', {})).tipMediaRoot;
      const url = `${h.web.origin}${root}${grant.token}/0/original`;

      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('image/jpeg');
      expect(whole.headers.get('cache-control')).toBe('no-store');
      expect(whole.headers.get('content-length')).toBe(String(PHOTO.length));
      expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(PHOTO));

      const part = await fetch(url, { headers: { range: 'bytes=1000-4999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-4999/${PHOTO.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(PHOTO.subarray(1000, 5000))).toBe(true);

      // Another tab, signed in as another analyst, with the same token under its own root; and
      // the token without any tab's key: both refused, and nothing of the photo is sent.
      const otherRoot = (await other.value<{ tipMediaRoot: string }>('console.info', {}))
        .tipMediaRoot;
      for (const elsewhere of [
        `${h.web.origin}${otherRoot}${grant.token}/0/original`,
        `${h.web.origin}/tip-media/${grant.token}/0/original`,
      ]) {
        const refused = await fetch(elsewhere);
        expect(refused.status).toBe(404);
        expect(await refused.text()).toBe('no such media\n');
      }

      // Signed out, the tab's grants go with its session.
      await tab.value('session.signOut', {});
      const after = await fetch(url);
      expect(after.status).toBe(404);
      await after.body?.cancel();
    } finally {
      tab.close();
      other.close();
    }
  });

  it("serves an LPR hit's plate image under the same root, as alert/<id>/<n>/original, only to the tab that opened it", async () => {
    const vendor = createServer((req, res) => {
      if (req.url === '/plates/1.jpg')
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(PHOTO);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
    const tab = await analystTab();
    const other = await analystTab();
    try {
      const ctx = server.app().ctx;
      const made = await createIntegration(ctx, { name: 'plate-feed', scope: 'lpr' }, SYSTEM_ACTOR);
      const agency = loadDemoAgency();
      await setAgency(
        server.store.store,
        { ...agency, alerts: { ...agency.alerts, mediaOrigins: { 'plate-feed': origin } } },
        new Date(server.clock.now()),
      );
      const posted = await fetch(`${server.url}/v1/ingest/lpr/hits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${made.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'hit-1',
          plate: 'XYZ987',
          reader: { id: 'R1', position: { lat: 36.1, lon: -80.25 } },
          time: new Date(server.clock.now() - 30_000).toISOString(),
          hotList: { name: 'stolen-vehicle', reason: 'Stolen' },
          imageUrl: `${origin}/plates/1.jpg`,
        }),
      });
      expect(posted.status).toBe(200);
      const { alerts } = (await posted.json()) as { alerts: { id: string }[] };
      const id = alerts[0]!.id;
      await ctx.tasks.runNow('alerts.evidence');

      const root = (await tab.value<{ tipMediaRoot: string }>('console.info', {})).tipMediaRoot;
      const url = `${h.web.origin}${root}alert/${id}/1/original`;
      // Not opened yet: the host refuses without asking the server.
      expect((await fetch(url)).status).toBe(404);
      await tab.value('alerts.openEvidence', { id, reason: REASON });
      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('image/jpeg');
      expect(whole.headers.get('cache-control')).toBe('no-store');
      expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(PHOTO));
      expect((await fetch(`${h.web.origin}${root}alert/${id}/2/original`)).status).toBe(404);

      const otherRoot = (await other.value<{ tipMediaRoot: string }>('console.info', {}))
        .tipMediaRoot;
      const refused = await fetch(`${h.web.origin}${otherRoot}alert/${id}/1/original`);
      expect(refused.status).toBe(404);
      expect(await refused.text()).toBe('no such media\n');
    } finally {
      tab.close();
      other.close();
      await new Promise<void>((resolve) => vendor.close(() => resolve()));
    }
  });

  it("serves an online report's photo in place and its PDF as a download, only to the tab that opened its files", async () => {
    const ctx = server.app().ctx;
    const media = await openMediaStore(ctx.config.mediaDir);
    const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const stored = [];
    for (const [bytes, contentType, fileName] of [
      [PHOTO, 'image/jpeg', 'front door.jpg'],
      [pdfBytes, 'application/pdf', 'Receipt (store).pdf'],
    ] as const) {
      const put = await media.putStream(Readable.from([bytes]), { maxBytes: 4 * 1024 * 1024 });
      if ('tooLarge' in put) throw new Error('too large');
      stored.push({ ...put, contentType, fileName });
    }
    const { report } = await submitReport(ctx, REPORT_INPUT, UNVERIFIED, stored, randomUUID());
    const tab = await analystTab();
    const other = await analystTab();
    try {
      const root = (await tab.value<{ tipMediaRoot: string }>('console.info', {})).tipMediaRoot;
      const url = (n: number) => `${h.web.origin}${root}online-report/${report.id}/${n}/original`;
      // Not opened yet: the host refuses without asking the server.
      const before = await fetch(url(1));
      expect(before.status).toBe(404);
      await before.body?.cancel();
      const opened = await tab.value<{ reportId: string }>('onlineReports.openFiles', {
        id: report.id,
      });
      expect(opened.reportId).toBe(report.id);

      const photo = await fetch(url(1));
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/jpeg');
      expect(photo.headers.get('content-disposition')).toBe('inline');
      expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
      // The file's own policy, not the console page's: nothing in it runs.
      expect(photo.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'; sandbox",
      );
      expect(sha256(new Uint8Array(await photo.arrayBuffer()))).toBe(sha256(PHOTO));

      const pdf = await fetch(url(2));
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toBe(
        `attachment; filename="Receipt (store).pdf"; filename*=UTF-8''Receipt%20%28store%29.pdf`,
      );
      expect(Buffer.from(await pdf.arrayBuffer()).equals(pdfBytes)).toBe(true);
      const none = await fetch(url(3));
      expect(none.status).toBe(404);
      await none.body?.cancel();

      const otherRoot = (await other.value<{ tipMediaRoot: string }>('console.info', {}))
        .tipMediaRoot;
      const refused = await fetch(
        `${h.web.origin}${otherRoot}online-report/${report.id}/1/original`,
      );
      expect(refused.status).toBe(404);
      expect(await refused.text()).toBe('no such media\n');
    } finally {
      tab.close();
      other.close();
    }
  });
});
