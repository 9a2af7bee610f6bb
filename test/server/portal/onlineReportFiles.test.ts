import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import type { TestUser } from '../../support/testApp';
import type { OnlineReport } from '../../../shared/api/onlineReports';
import { TINY_PNG } from '../reports/images';
import { startPortalApp, type PortalApp } from './portalSupport';
import { JPEG, fileReport, reportFields, type Upload } from './reportSupport';

/**
 * Reviewers open the photos and documents a reporter attached to an online report: only holders
 * of onlineReports.review, only after an audited opening of that report's files (the opening is
 * the grant, for a quarter of an hour, for the one who opened), a photo shown in place and a PDF
 * saved under a safe name, never sniffed, never run as a page.
 */

const PNG: Upload = {
  name: 'lock.png',
  type: 'image/png',
  bytes: new Uint8Array(Buffer.from(TINY_PNG, 'base64')),
};
const PDF: Upload = {
  // A name as a reporter's device may give it: accents, brackets and quotes.
  name: 'Reçu de caisse (été) "copie".pdf',
  type: 'application/pdf',
  bytes: new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
};
const CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";
const QUARTER_HOUR = 15 * 60_000;

describe.each(STORE_KINDS)("an online report's files for its reviewers on %s", (kind) => {
  let t: PortalApp;
  let analyst: TestUser;
  /** The report with a photo, an image and a PDF; `other` has one photo. */
  let report: OnlineReport;
  let other: OnlineReport;

  const fileUrl = (r: OnlineReport, n: number) => `/v1/online-reports/${r.id}/files/${n}`;
  const openUrl = (r: OnlineReport) => `/v1/online-reports/${r.id}/file-grants`;
  const openings = () => t.count('audit_log', `action = 'onlineReport.files.view'`);

  async function filed(email: string, files: readonly Upload[]): Promise<OnlineReport> {
    const { res } = await fileReport(t, t.visitor(), reportFields(email), files);
    expect(res.statusCode, res.body).toBe(200);
    const all = await t.as(analyst, 'GET', '/v1/online-reports?state=all');
    return (all.json() as { reports: OnlineReport[] }).reports.find(
      (r) => r.reporter.email === email,
    )!;
  }

  /** A new session of the same user (an access token lasts less than the time the test moves). */
  async function signedInAgain(user: TestUser): Promise<TestUser> {
    const sessionId = randomUUID();
    await t.store.store.query(
      `insert into sessions (id, user_id, created_at, last_seen_at, scope) values ($1, $2, $3, $3, 'full')`,
      [sessionId, user.id, new Date(t.clock.now()).toISOString()],
    );
    const { token } = await t.app.ctx.tokens.issue({
      userId: user.id,
      username: user.username,
      role: user.role,
      sessionId,
    });
    return { ...user, sessionId, token };
  }

  beforeAll(async () => {
    t = await startPortalApp(kind);
    analyst = await t.user('analyst');
    report = await filed('three.files@example.org', [JPEG, PNG, PDF]);
    other = await filed('one.file@example.org', [JPEG]);
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('lists each file with its name, type and size', () => {
    expect(report.files).toEqual([
      { n: 1, fileName: 'bike.jpg', contentType: 'image/jpeg', size: JPEG.bytes.length },
      { n: 2, fileName: 'lock.png', contentType: 'image/png', size: PNG.bytes.length },
      {
        n: 3,
        fileName: 'Reçu de caisse (été) _copie_.pdf',
        contentType: 'application/pdf',
        size: PDF.bytes.length,
      },
    ]);
  });

  it('refuses without a sign-in (401) and refuses those without onlineReports.review (403, audited)', async () => {
    for (const [method, url] of [
      ['POST', openUrl(report)],
      ['GET', fileUrl(report, 1)],
    ] as const) {
      const anonymous = await t.app.api.inject({ method, url });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
    }
    const deniedBefore = await t.count('audit_log', `action = 'permission.denied'`);
    for (const role of ['officer', 'admin', 'auditor'] as const) {
      const u = await t.user(role);
      const open = await t.as(u, 'POST', openUrl(report));
      expect(open.statusCode, role).toBe(403);
      expect(open.json().message).toContain('onlineReports.review');
      expect((await t.as(u, 'GET', fileUrl(report, 1))).statusCode, role).toBe(403);
    }
    expect(await t.count('audit_log', `action = 'permission.denied'`)).toBe(deniedBefore + 6);
    expect(await openings()).toBe(0);
  });

  it('serves nothing before the reviewer opens the files; the opening is audited with the report', async () => {
    const reviewer = await t.user('analyst', 'files.reviewer');
    expect((await t.as(reviewer, 'GET', fileUrl(report, 1))).statusCode).toBe(404);
    const opened = await t.as(reviewer, 'POST', openUrl(report));
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toEqual({
      reportId: report.id,
      expiresAt: new Date(t.clock.now() + QUARTER_HOUR).toISOString(),
    });
    const rows = await t.store.store.query<{
      actor_id: string;
      actor_name: string;
      target_type: string;
      target_id: string;
      outcome: string;
      details: { tempNumber: string; files: unknown[] };
    }>(
      `select actor_id, actor_name, target_type, target_id, outcome, details from audit_log
       where action = 'onlineReport.files.view'`,
    );
    expect(rows.rows).toEqual([
      {
        actor_id: reviewer.id,
        actor_name: reviewer.username,
        target_type: 'online_report',
        target_id: report.id,
        outcome: 'success',
        details: expect.objectContaining({
          tempNumber: report.tempNumber,
          files: [
            { n: 1, contentType: 'image/jpeg', size: JPEG.bytes.length },
            { n: 2, contentType: 'image/png', size: PNG.bytes.length },
            { n: 3, contentType: 'application/pdf', size: PDF.bytes.length },
          ],
        }),
      },
    ]);
    expect((await t.as(reviewer, 'GET', fileUrl(report, 1))).statusCode).toBe(200);
    // Opening is a look, not a change: the report and the queue hear nothing of it.
    expect(
      await t.count(
        'events',
        `type like 'onlineReport.%' and payload->'report'->>'id' = '${report.id}'`,
      ),
    ).toBe(1);
  });

  it('sends a photo inline and a PDF as an attachment under a safe name: never cached, sniffed or run', async () => {
    expect((await t.as(analyst, 'POST', openUrl(report))).statusCode).toBe(201);
    for (const [n, upload] of [
      [1, JPEG],
      [2, PNG],
    ] as const) {
      const photo = await t.as(analyst, 'GET', fileUrl(report, n));
      expect(photo.statusCode, photo.body).toBe(200);
      expect(photo.headers).toMatchObject({
        'content-type': upload.type,
        'content-disposition': 'inline',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      });
      expect(photo.rawPayload.equals(Buffer.from(upload.bytes))).toBe(true);
    }
    const pdf = await t.as(analyst, 'GET', fileUrl(report, 3));
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
    });
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="Re_u de caisse (_t_) _copie_.pdf"; ` +
        `filename*=UTF-8''Re%C3%A7u%20de%20caisse%20%28%C3%A9t%C3%A9%29%20_copie_.pdf`,
    );
    expect(pdf.rawPayload.equals(Buffer.from(PDF.bytes))).toBe(true);
    // A byte range, as a browser's PDF reader asks for one.
    const part = await t.app.api.inject({
      method: 'GET',
      url: fileUrl(report, 3),
      headers: { authorization: `Bearer ${analyst.token}`, range: 'bytes=0-4' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('%PDF-');
  });

  it("answers 404 for a file that is not that report's, and for a report not opened", async () => {
    expect((await t.as(analyst, 'POST', openUrl(report))).statusCode).toBe(201);
    // The other report's photo under its own id: its files were not opened.
    const notOpened = await t.as(analyst, 'GET', fileUrl(other, 1));
    expect(notOpened.statusCode).toBe(404);
    expect(notOpened.json().message).toBe(
      'The files of this report are not open for you (or no longer): open them again.',
    );
    // Opened: its one file, and nothing under the numbers the first report has.
    expect((await t.as(analyst, 'POST', openUrl(other))).statusCode).toBe(201);
    expect((await t.as(analyst, 'GET', fileUrl(other, 1))).statusCode).toBe(200);
    for (const n of [2, 3]) {
      const missing = await t.as(analyst, 'GET', fileUrl(other, n));
      expect(missing.statusCode, `file ${n}`).toBe(404);
      expect(missing.json().message).toBe('This report has no file with that number.');
    }
    expect((await t.as(analyst, 'GET', fileUrl(report, 4))).statusCode).toBe(404);
    const unknown = randomUUID();
    const before = await openings();
    expect(
      (await t.as(analyst, 'POST', `/v1/online-reports/${unknown}/file-grants`)).statusCode,
    ).toBe(404);
    expect(await openings()).toBe(before);
    for (const bad of ['0', '-1', 'x', '1.5']) {
      expect(
        (await t.as(analyst, 'GET', `/v1/online-reports/${report.id}/files/${bad}`)).statusCode,
        bad,
      ).toBe(400);
    }
  });

  it('is the opener’s alone, for a quarter of an hour; opening again gives it back', async () => {
    const opener = await t.user('analyst', 'opener');
    const colleague = await t.user('lieutenant', 'colleague');
    expect((await t.as(opener, 'POST', openUrl(report))).statusCode).toBe(201);
    expect((await t.as(opener, 'GET', fileUrl(report, 2))).statusCode).toBe(200);
    expect((await t.as(colleague, 'GET', fileUrl(report, 2))).statusCode).toBe(404);

    t.clock.advance(QUARTER_HOUR + 1);
    const later = await signedInAgain(opener);
    expect((await t.as(later, 'GET', fileUrl(report, 2))).statusCode).toBe(404);
    expect((await t.as(later, 'POST', openUrl(report))).statusCode).toBe(201);
    expect((await t.as(later, 'GET', fileUrl(report, 2))).statusCode).toBe(200);
  });

  it('names a download safely whatever name the table holds', async () => {
    await t.store.store.query(
      `update online_report_files set file_name = $3 where report_id = $1 and n = $2`,
      [report.id, 3, '..\\evil"; filename=x.html\r\nSet-Cookie: a=1'],
    );
    const reviewer = await signedInAgain(analyst);
    expect((await t.as(reviewer, 'POST', openUrl(report))).statusCode).toBe(201);
    const pdf = await t.as(reviewer, 'GET', fileUrl(report, 3));
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['set-cookie']).toBeUndefined();
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="_evil__ filename_x.html__Set-Cookie_ a_1"; ` +
        `filename*=UTF-8''..%5Cevil%22%3B%20filename%3Dx.html%0D%0ASet-Cookie%3A%20a%3D1`,
    );
  });
});
