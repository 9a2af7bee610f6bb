import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errorHandler';
import { openMediaStore, type MediaStore } from '../media/mediaStore';
import type { AgencyConfig } from '../../shared/domain/agency';
import { ineligibility, MAX_REPORT_FILE_BYTES } from '../../shared/domain/onlineReports';
import { reportClock } from '../../shared/domain/onlineReports';
import type { OnlineReport } from '../../shared/api/onlineReports';
import {
  REPORT_LINK_GONE,
  addInformation,
  reportForReporter,
  submitReport,
  type StoredFile,
} from '../onlineReports/onlineReportChanges';
import { locateReport } from '../onlineReports/reportLocation';
import { html } from './html';
import type { PortalKit } from './portalKit';
import { buttonForm, layout, messagePage } from './portalPages';
import { MAP_PAGE_CSP, MAP_SCRIPTS, MAP_STYLES } from './registrationMap';
import type { FieldErrors, FormFields } from './registrationForm';
import {
  answersOf,
  checkReport,
  eligibilityForm,
  refusalOf,
  reportForm,
  unanswered,
} from './reportForm';

/**
 * The online report's pages (docs/online-reports.md): the eligibility questions, the report
 * form (with files), the reporter's status page behind the emailed link, and the form there to
 * add information when the reviewer asked for it.
 */

/** Three files of at most 4 MB each and the rest of the form, with room for the encoding. */
export const REPORT_BODY_LIMIT = 3 * MAX_REPORT_FILE_BYTES + 256 * 1024;

const FORMS = {
  eligibility: 'report-eligibility',
  report: 'report',
  addInfo: 'report-add',
} as const;

const tokenOf = (v: unknown): string => {
  const t = (v as { token?: unknown } | undefined)?.token;
  return typeof t === 'string' && /^[A-Za-z0-9_-]{43}$/.test(t) ? t : '';
};

export function registerReportPages(k: PortalKit): void {
  const { ctx } = k;
  let media: Promise<MediaStore> | null = null;
  const mediaStore = () => (media ??= openMediaStore(ctx.config.mediaDir));

  const closed = (a: AgencyConfig) =>
    messagePage(a, 'Online reports are not taken at the moment', [a.onlineReports.officerHelp]);

  async function eligibilityPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    values: FormFields,
    errors: FieldErrors,
    status: number,
  ) {
    const formToken = await k.guard.issue(req, reply, FORMS.eligibility);
    return k.send(
      reply,
      status,
      layout(a, {
        title: 'Report online',
        body: html`<h1>Report an incident online</h1>
          <p>
            Some incidents can be reported here instead of to an officer. You get a temporary number
            at once, and a permanent case number once the report is reviewed (normally within
            ${a.onlineReports.reviewHours} hours).
          </p>
          <p>First, a few questions to check that your report can be taken online.</p>
          ${eligibilityForm(a, formToken, values, errors)}`,
        footerNotice: a.portal.falseReportNotice,
      }),
    );
  }

  async function reportPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    values: FormFields,
    errors: FieldErrors,
    status: number,
  ) {
    const formToken = await k.guard.issue(req, reply, FORMS.report);
    reply.header('content-security-policy', MAP_PAGE_CSP);
    return k.send(
      reply,
      status,
      layout(a, {
        title: 'Your report',
        scripts: MAP_SCRIPTS,
        styles: MAP_STYLES,
        body: html`<h1>Your report</h1>
          ${Object.keys(errors).length > 0 && values.hadFiles === 'yes' ? html`<p>Files are not kept when a form comes back: choose them again.</p>` : ''}
          ${reportForm(a, { formToken, values, errors })}`,
        footerNotice: a.portal.falseReportNotice,
      }),
    );
  }

  function refusalPage(
    reply: FastifyReply,
    a: AgencyConfig,
    q: Parameters<typeof refusalOf>[1],
    status: number,
  ) {
    const title = q === 'emergency' ? 'Call 911 now' : 'This cannot be reported online';
    return k.send(reply, status, messagePage(a, title, refusalOf(a, q)));
  }

  k.get('/portal/reports', async (req, reply) => {
    const a = await k.agency();
    if (!a.onlineReports.enabled) return k.send(reply, 404, closed(a));
    return eligibilityPage(req, reply, a, {}, {}, 200);
  });

  k.post('/portal/reports/eligibility', async (req, reply, fields) => {
    const a = await k.agency();
    if (!a.onlineReports.enabled) return k.send(reply, 404, closed(a));
    const check = await k.guard.check(req, FORMS.eligibility, fields.formToken);
    if (k.refused(reply, a, check)) return reply;
    const missing = unanswered(fields);
    const out = ineligibility(answersOf(fields));
    // An answer that rules the report out is answered at once, whatever else is missing.
    if (out?.answered) return refusalPage(reply, a, out.question, 200);
    if (Object.keys(missing).length > 0)
      return eligibilityPage(req, reply, a, fields, missing, 400);
    const answers: Record<string, string> = {};
    for (const [key, v] of Object.entries(fields)) if (key.startsWith('elig_')) answers[key] = v;
    return reportPage(req, reply, a, answers, {}, 200);
  });

  k.postMultipart('/portal/reports/new', REPORT_BODY_LIMIT, async (req, reply, form) => {
    const a = await k.agency();
    if (!a.onlineReports.enabled) return k.send(reply, 404, closed(a));
    const { fields } = form;
    const check = await k.guard.check(req, FORMS.report, fields.formToken);
    if (k.refused(reply, a, check)) return reply;
    if ((fields.website ?? '') !== '') return k.send(reply, 200, receivedPage(a, null));
    // The questions again: the form carries the answers, and nothing else opens it.
    const out = ineligibility(answersOf(fields));
    if (out) return refusalPage(reply, a, out.question, 400);
    const values = { ...fields, hadFiles: form.files.length > 0 || form.filesError ? 'yes' : 'no' };
    if (check === 'too_fast' || check === 'expired') {
      return reportPage(req, reply, a, values, { form: k.timingMessage(check) }, 400);
    }
    const checked = await checkReport(a, fields, ctx.clock.now(), (place) =>
      locateReport(ctx.store, a, place),
    );
    const errors = checked.ok ? {} : { ...checked.errors };
    if (form.filesError) (errors as Record<string, string>).files = form.filesError;
    if (!checked.ok || form.filesError) return reportPage(req, reply, a, values, errors, 400);
    if (k.noMail(reply, a)) return reply;
    const store = await mediaStore();
    const stored: StoredFile[] = [];
    for (const f of form.files) {
      const put = await store.putStream(Readable.from([f.bytes]), {
        maxBytes: MAX_REPORT_FILE_BYTES,
      });
      if ('tooLarge' in put) throw new HttpError(413, 'A file is larger than 4 MB.');
      stored.push({
        sha256: put.sha256,
        size: put.size,
        contentType: f.contentType,
        fileName: f.fileName,
      });
    }
    const { input, location } = checked.value;
    const { report } = await submitReport(ctx, input, location, stored, fields.formToken!);
    ctx.mail?.kick();
    return k.send(reply, 200, receivedPage(a, report));
  });

  function receivedPage(a: AgencyConfig, r: OnlineReport | null): string {
    return messagePage(
      a,
      'Your report is received',
      [
        r
          ? html`Thank you. Your temporary number is
              <strong class="number">${r.tempNumber}</strong>.`
          : 'Thank you. Your report is received.',
        'We have emailed you a copy of your report with this number. It is not the official copy: once your report is reviewed and approved, you will receive a permanent case number by email.',
        'The email has a link to follow your report. If no email arrives in a few minutes, look in your spam or junk folder.',
      ],
      'ok',
    );
  }

  const STATUS_WORDS: Readonly<Record<OnlineReport['state'], string>> = {
    submitted: 'Received: waiting for review.',
    forwarded: 'Being reviewed by an investigator.',
    needs_info: 'Waiting for you: we need more information (below).',
    approved: 'Approved.',
    rejected: 'Not accepted as an online report.',
  };

  async function statusPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    token: string,
    r: OnlineReport,
    status: number,
    opts: { error?: string; text?: string; added?: boolean } = {},
  ) {
    const clock = reportClock(r, ctx.clock.now());
    const formToken =
      r.state === 'needs_info' ? await k.guard.issue(req, reply, FORMS.addInfo) : '';
    return k.send(
      reply,
      status,
      layout(a, {
        title: `Report ${r.tempNumber}`,
        body: html`<h1>Report ${r.tempNumber}</h1>
          ${opts.added ? html`<p class="ok" role="status">Thank you: your information is added and the report is back with the reviewers.</p>` : ''}
          <dl class="facts">
            <dt>Status</dt>
            <dd>${STATUS_WORDS[r.state]}</dd>
            <dt>Kind</dt>
            <dd>${r.categoryLabel}</dd>
            <dt>Received</dt>
            <dd>
              ${new Date(r.submittedAt).toLocaleString('en-US', { timeZone: a.timeZone, dateStyle: 'medium', timeStyle: 'short' })}
            </dd>
            ${
              clock.remainingMs !== null && !clock.waitingOnReporter
                ? html`<dt>Review expected by</dt>
                    <dd>
                      ${new Date(clock.dueAt).toLocaleString('en-US', { timeZone: a.timeZone, dateStyle: 'medium', timeStyle: 'short' })}
                    </dd>`
                : ''
            }
            ${
              r.caseNumber
                ? html`<dt>Case number</dt>
                    <dd><strong class="number">${r.caseNumber}</strong></dd>`
                : ''
            }
          </dl>
          ${
            r.state === 'rejected'
              ? html`<p>${r.rejectionReason ?? ''}</p>
                  <p>${a.onlineReports.officerHelp}</p>`
              : ''
          }
          ${
            r.state === 'needs_info'
              ? html`<h2>What we need</h2>
                  <p>${r.infoRequest ?? ''}</p>
                  ${
                    opts.error
                      ? html`<div class="summary" role="alert">
                          <p><a href="#text">${opts.error}</a></p>
                        </div>`
                      : ''
                  }
                  ${buttonForm({
                    action: '/portal/reports/add-info',
                    formToken,
                    hidden: { token },
                    button: 'Send this information',
                    before: html`<div>
                      <label for="text">Your answer</label>
                      ${opts.error ? html`<p class="error" id="text-error">Error: ${opts.error}</p>` : ''}
                      <textarea
                        id="text"
                        name="text"
                        rows="6"
                        maxlength="4000"
                        ${opts.error ? html` aria-invalid="true" aria-describedby="text-error"` : ''}
                      >
${opts.text ?? ''}</textarea>
                    </div>`,
                  })}`
              : ''
          }`,
      }),
    );
  }

  const gonePage = (a: AgencyConfig) =>
    messagePage(a, 'This link no longer works', [
      REPORT_LINK_GONE,
      html`Your report is kept all the same. ${a.onlineReports.officerHelp}`,
    ]);

  k.get(
    '/portal/reports/status',
    async (req, reply) => {
      const a = await k.agency();
      const token = tokenOf(req.query);
      const r = token ? await reportForReporter(ctx, token) : null;
      if (!r) return k.send(reply, 404, gonePage(a));
      return statusPage(req, reply, a, token, r, 200);
    },
    { quiet: true },
  );

  k.post('/portal/reports/add-info', async (req, reply, fields) => {
    const a = await k.agency();
    const check = await k.guard.check(req, FORMS.addInfo, fields.formToken);
    if (k.refused(reply, a, check)) return reply;
    const token = tokenOf(fields);
    const r = token ? await reportForReporter(ctx, token) : null;
    if (!r) return k.send(reply, 404, gonePage(a));
    const text = (fields.text ?? '').trim();
    if (text.length === 0 || text.length > 4000) {
      const error =
        text.length === 0 ? 'Write the information asked for' : 'At most 4,000 characters';
      return statusPage(req, reply, a, token, r, 400, { error, text: fields.text ?? '' });
    }
    try {
      const after = await addInformation(ctx, token, text);
      return statusPage(req, reply, a, token, after, 200, { added: true });
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 409) {
        return k.send(
          reply,
          409,
          messagePage(a, 'Nothing to add', ['This report is not waiting for more information.']),
        );
      }
      throw error;
    }
  });
}
