import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../http/api';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import type { AgencyConfig } from '../../shared/domain/agency';
import {
  CONFIRM_LINK_HOURS,
  confirmRegistration,
  registrationForOwner,
  sendManageLinks,
  submitRegistration,
  updateRegistration,
  withdrawRegistration,
} from '../registrations/registrationChanges';
import { findByLink } from '../registrations/registrationRepository';
import { FormGuard, type FormCheck } from './formGuard';
import { parseMultipart, type MultipartForm } from './multipartForm';
import { REPORT_BODY_LIMIT, registerReportPages } from './reportPages';
import { SubmissionLimit } from './submissionLimit';
import { html } from './html';
import { linkRequestForm } from './linkRequest';
import type { PortalKit } from './portalKit';
import { transparencyRoutes } from './transparencyRoutes';
import { MAP_PAGE_CSP, MAP_SCRIPTS, MAP_STYLES, registrationMapRoutes } from './registrationMap';
import { buttonForm, homePage, layout, messagePage } from './portalPages';
import { PORTAL_CSS, agencyCss } from './portalStyle';
import { registerOwnerPages } from './ownerRoutes';
import {
  checkRegistration,
  checkUpdate,
  fieldsOf,
  registrationForm,
  reshaped,
  type FieldErrors,
  type FormFields,
} from './registrationForm';

/**
 * The public portal at /portal/ (docs/portal.md): pages for the public, no sign-in. Every post
 * passes, in order, the per-address limit, the form's signed token (CSRF, fill time), the
 * honeypot and the schemas; whatever fails stores nothing. Links in emails open a page whose
 * button does the change, so that a mail scanner that follows links changes nothing.
 */

/** A form post is a few kilobytes; ten cameras fit in well under this. */
export const PORTAL_BODY_LIMIT = 32 * 1024;
/** Fields a form may have: ten cameras of six fields and the rest, with room to spare. */
const MAX_FIELDS = 100;

/**
 * Scripts: none. Styles and images: the portal's own (and the agency's logo, a data URL).
 * Forms post only to the portal; no page may frame it.
 */
export const PORTAL_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The forms, by the name their tokens are signed for. */
const FORMS = {
  register: 'register',
  confirm: 'confirm',
  manage: 'manage',
  withdraw: 'withdraw',
  link: 'link',
} as const;

const HTML = 'text/html; charset=utf-8';

function parseForm(text: string): FormFields {
  const fields: Record<string, string> = {};
  let count = 0;
  for (const [k, v] of new URLSearchParams(text)) {
    count += 1;
    if (count > MAX_FIELDS) throw new HttpError(413, 'The form has too many fields.');
    if (Object.hasOwn(fields, k)) throw new HttpError(400, `The field ${k} is repeated.`);
    if (k.includes('\u0000') || v.includes('\u0000')) {
      throw new HttpError(400, 'The form holds characters that no field accepts.');
    }
    fields[k] = v;
  }
  return fields;
}

const tokenOf = (query: unknown): string => {
  const t = (query as { token?: unknown } | undefined)?.token;
  return typeof t === 'string' && /^[A-Za-z0-9_-]{43}$/.test(t) ? t : '';
};

export const portalRoutes: RouteModule = (api, ctx) => {
  const guard = new FormGuard(ctx.store, ctx.clock);
  const limit = new SubmissionLimit(ctx.clock, ctx.config.portalSubmissionsPerHour);
  const agency = () => getAgency(ctx.store);
  const send = (reply: FastifyReply, status: number, page: string) =>
    reply.status(status).type(HTML).send(page);

  api.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: PORTAL_BODY_LIMIT },
      (_req, text, done) => {
        try {
          done(null, parseForm(text as string));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
    // The online report's form carries files; its route alone allows a body this large.
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: REPORT_BODY_LIMIT },
      async (req: FastifyRequest, body: Buffer) =>
        parseMultipart(body, String(req.headers['content-type'] ?? '')),
    );
    scope.addHook('onSend', async (_req, reply, payload) => {
      // The map pages send their own, which adds the portal's scripts (registrationMap.ts).
      if (!reply.hasHeader('content-security-policy')) {
        reply.header('content-security-policy', PORTAL_CSP);
      }
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
    // Refusals come back as a page a person can read, never JSON or a stack trace.
    scope.setErrorHandler(async (error, req, reply) => {
      const status =
        error instanceof HttpError
          ? error.statusCode
          : typeof (error as { statusCode?: unknown }).statusCode === 'number' &&
              (error as { statusCode: number }).statusCode < 500
            ? (error as { statusCode: number }).statusCode
            : 500;
      if (status >= 500) req.log.error({ err: error }, 'portal request failed');
      const message =
        status === 413
          ? 'What you sent is larger than any form here accepts.'
          : status === 415
            ? 'Send the form from this site’s pages.'
            : status >= 500
              ? 'Something went wrong on our side. Nothing was saved; please try again later.'
              : error instanceof Error
                ? error.message
                : 'The request was refused.';
      const page = await agency()
        .then((a) => messagePage(a, 'Not sent', [message]))
        .catch(() => `<!doctype html><title>Error</title><p>${status}</p>`);
      return send(reply, status, page);
    });
    registerPages(scope as unknown as typeof api);
  });

  function registerPages(s: typeof api): void {
    const get = (
      url: string,
      handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
      opts: { quiet?: boolean } = {},
    ) =>
      s.get(
        url,
        {
          config: { access: 'public' },
          schema: { hide: true },
          // A link's token is in its URL: the request line is not logged.
          ...(opts.quiet ? { logLevel: 'warn' as const } : {}),
        },
        handler,
      );
    /** Counts a post against its address's limit; answers 429 and says so when it is over. */
    async function overLimit(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      const wait = limit.take(req.ip);
      if (wait === null) return false;
      reply.header('retry-after', String(wait));
      send(
        reply,
        429,
        messagePage(await agency(), 'Too many attempts', [
          `This connection has sent too many forms in the last hour. Nothing was saved. Please try again in ${Math.ceil(wait / 60)} minutes.`,
        ]),
      );
      return true;
    }
    const post = (
      url: string,
      handler: (req: FastifyRequest, reply: FastifyReply, fields: FormFields) => Promise<unknown>,
    ) =>
      s.post(
        url,
        { config: { access: 'public' }, schema: { hide: true }, bodyLimit: PORTAL_BODY_LIMIT },
        async (req, reply) => {
          if (await overLimit(req, reply)) return reply;
          // Only the forms' own encoding: a JSON body would reach here parsed by the API's parser.
          const type = String(req.headers['content-type'] ?? '');
          if (
            !type.startsWith('application/x-www-form-urlencoded') ||
            typeof req.body !== 'object'
          ) {
            throw new HttpError(415, 'Send the form from this site’s pages.');
          }
          const fields = (req.body ?? {}) as FormFields;
          return handler(req, reply, fields);
        },
      );
    const postMultipart = (
      url: string,
      bodyLimit: number,
      handler: (req: FastifyRequest, reply: FastifyReply, form: MultipartForm) => Promise<unknown>,
    ) =>
      s.post(
        url,
        { config: { access: 'public' }, schema: { hide: true }, bodyLimit },
        async (req, reply) => {
          if (await overLimit(req, reply)) return reply;
          const type = String(req.headers['content-type'] ?? '');
          const body = req.body as MultipartForm | null | undefined;
          if (!type.startsWith('multipart/form-data') || !body || !('files' in body)) {
            throw new HttpError(415, 'Send the form from this site’s pages.');
          }
          return handler(req, reply, body);
        },
      );

    function refused(reply: FastifyReply, a: AgencyConfig, check: FormCheck): boolean {
      if (check !== 'forged') return false;
      send(
        reply,
        403,
        messagePage(a, 'This form could not be checked', [
          'Nothing was saved. This can happen when cookies are blocked or the page was open in another browser. Open the page again from this site and send it from there.',
        ]),
      );
      return true;
    }

    /** The public is never told that a link is on its way when none can leave. */
    function noMail(
      reply: FastifyReply,
      a: AgencyConfig,
      sentence = 'This site cannot send email yet, and this form needs it to send you a link. Nothing was saved. Please try again later.',
    ): boolean {
      if (ctx.config.mail !== null) return false;
      send(reply, 503, messagePage(a, 'Not available at the moment', [sentence]));
      return true;
    }

    const kit: PortalKit = {
      ctx,
      guard,
      agency,
      send,
      get,
      post,
      postMultipart,
      refused,
      noMail,
      timingMessage: formTimingMessage,
    };

    get('/portal/', async (_req, reply) => send(reply, 200, homePage(await agency())));
    get('/portal/portal.css', async (_req, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(PORTAL_CSS),
    );
    get('/portal/agency.css', async (_req, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(agencyCss((await agency()).portal)),
    );
    registerOwnerPages(kit);
    transparencyRoutes(get, ctx, agency);
    registrationMapRoutes(get, agency, ctx.store);

    // ---- Register ----------------------------------------------------------------------------

    async function registerPage(
      req: FastifyRequest,
      reply: FastifyReply,
      a: AgencyConfig,
      values: FormFields,
      errors: FieldErrors,
      status: number,
    ) {
      const formToken = await guard.issue(req, reply, FORMS.register);
      reply.header('content-security-policy', MAP_PAGE_CSP);
      return send(
        reply,
        status,
        layout(a, {
          title: 'Register your security cameras',
          scripts: MAP_SCRIPTS,
          styles: MAP_STYLES,
          body: html`<h1>Register your security cameras</h1>
            <ul class="promises">
              ${a.portal.registrationPromises.map((p) => html`<li>${p}</li>`)}
            </ul>
            ${registrationForm({ action: '/portal/cameras/register', formToken, values, errors, submitLabel: 'Send: we will email you a link to confirm' })}`,
        }),
      );
    }

    get('/portal/cameras/register', async (req, reply) =>
      registerPage(req, reply, await agency(), {}, {}, 200),
    );

    post('/portal/cameras/register', async (req, reply, fields) => {
      const a = await agency();
      const check = await guard.check(req, FORMS.register, fields.formToken);
      if (refused(reply, a, check)) return reply;
      // A filled honeypot is a script: it is told what a person is told, and nothing is kept.
      if ((fields.website ?? '') !== '') return checkEmailPage(reply, a);
      const action = fields.action ?? 'submit';
      if (action === 'add')
        return registerPage(req, reply, a, reshaped(fields, { add: true }), {}, 200);
      const remove = /^remove-(\d{1,2})$/.exec(action);
      if (remove) {
        return registerPage(
          req,
          reply,
          a,
          reshaped(fields, { remove: Number(remove[1]) }),
          {},
          200,
        );
      }
      if (check === 'too_fast' || check === 'expired') {
        return registerPage(req, reply, a, fields, { form: formTimingMessage(check) }, 400);
      }
      const checked = checkRegistration(a, fields);
      if (!checked.ok) return registerPage(req, reply, a, fields, checked.errors, 400);
      if (noMail(reply, a)) return reply;
      await submitRegistration(ctx, checked.value);
      ctx.mail?.kick();
      return checkEmailPage(reply, a);
    });

    function checkEmailPage(reply: FastifyReply, a: AgencyConfig) {
      return send(
        reply,
        200,
        messagePage(
          a,
          'Check your email',
          [
            'Thank you. We have sent you an email with a link to confirm your registration.',
            `Your cameras are registered only when you open that link, within ${CONFIRM_LINK_HOURS} hours. If no email arrives in a few minutes, look in your spam or junk folder.`,
          ],
          'ok',
        ),
      );
    }

    // ---- Confirm -----------------------------------------------------------------------------

    const linkGonePage = (a: AgencyConfig) =>
      messagePage(a, 'This link no longer works', [
        'It has expired or has already been used.',
        html`If you already confirmed, your cameras are registered. To change or withdraw a
          registration, <a href="/portal/cameras/manage">ask for a new link</a>; to start again,
          <a href="/portal/cameras/register">register your cameras</a>.`,
      ]);

    get(
      '/portal/cameras/confirm',
      async (req, reply) => {
        const a = await agency();
        const token = tokenOf(req.query);
        const row = token
          ? await findByLink(ctx.store, token, 'confirm', new Date(ctx.clock.now()))
          : null;
        if (!row || row.state !== 'pending') return send(reply, 404, linkGonePage(a));
        const formToken = await guard.issue(req, reply, FORMS.confirm);
        return send(
          reply,
          200,
          layout(a, {
            title: 'Confirm your registration',
            body: html`<h1>Confirm your registration</h1>
              <p>Press the button to put your cameras in ${a.name}'s registry.</p>
              <ul class="promises">
                ${a.portal.registrationPromises.map((p) => html`<li>${p}</li>`)}
              </ul>
              ${buttonForm({ action: '/portal/cameras/confirm', formToken, hidden: { token }, button: 'Confirm my registration' })}`,
          }),
        );
      },
      { quiet: true },
    );

    post('/portal/cameras/confirm', async (req, reply, fields) => {
      const a = await agency();
      if (refused(reply, a, await guard.checkOrigin(req, FORMS.confirm, fields.formToken))) {
        return reply;
      }
      const token = tokenOf(fields);
      if (!token) return send(reply, 404, linkGonePage(a));
      try {
        await confirmRegistration(ctx, token);
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 404) {
          return send(reply, 404, linkGonePage(a));
        }
        throw error;
      }
      ctx.mail?.kick();
      return send(
        reply,
        200,
        messagePage(
          a,
          'Your cameras are registered',
          [
            'Thank you. Your cameras are now in the registry.',
            'We have emailed you a link to change or withdraw your registration whenever you wish.',
          ],
          'ok',
        ),
      );
    });

    // ---- Manage ------------------------------------------------------------------------------

    const manageRequestPage = linkRequestForm(kit, {
      form: FORMS.link,
      action: '/portal/cameras/manage-link',
      title: 'Manage your registration',
      intro: () =>
        html`<p>
          Enter the email you registered with. We will send a link to change or withdraw your
          registration.
        </p>`,
      button: 'Email me a link',
      sent: [
        'If that address has a registration, we have sent it a link to manage it.',
        'If no email arrives in a few minutes, look in your spam or junk folder.',
      ],
      timingMessage: formTimingMessage,
      request: (email) => sendManageLinks(ctx, email),
    });

    async function managePage(
      req: FastifyRequest,
      reply: FastifyReply,
      a: AgencyConfig,
      token: string,
      values: FormFields,
      errors: FieldErrors,
      status: number,
    ) {
      const formToken = await guard.issue(req, reply, FORMS.manage);
      const withdrawToken = await guard.issue(req, reply, FORMS.withdraw);
      reply.header('content-security-policy', MAP_PAGE_CSP);
      return send(
        reply,
        status,
        layout(a, {
          title: 'Your camera registration',
          scripts: MAP_SCRIPTS,
          styles: MAP_STYLES,
          body: html`<h1>Your camera registration</h1>
            ${registrationForm({ action: '/portal/cameras/manage', formToken, values, errors, manageToken: token, submitLabel: 'Save changes' })}
            <h2>Withdraw</h2>
            <p>
              Withdrawing removes all your cameras from the registry and deletes your contact
              details.
            </p>
            ${buttonForm({
              action: '/portal/cameras/withdraw',
              formToken: withdrawToken,
              hidden: { token },
              button: 'Withdraw my registration',
              className: 'danger',
              before: html`<div class="choice">
                <label
                  ><input type="checkbox" name="sure" value="yes" required /> Yes, remove my cameras
                  from the registry</label
                >
              </div>`,
            })}`,
        }),
      );
    }

    get(
      '/portal/cameras/manage',
      async (req, reply) => {
        const a = await agency();
        const token = tokenOf(req.query);
        if (!token) return manageRequestPage(req, reply, a, 200);
        const current = await registrationForOwner(ctx, token);
        if (!current) return send(reply, 404, linkGonePage(a));
        return managePage(req, reply, a, token, fieldsOf(current), {}, 200);
      },
      { quiet: true },
    );

    post('/portal/cameras/manage', async (req, reply, fields) => {
      const a = await agency();
      const check = await guard.check(req, FORMS.manage, fields.formToken);
      if (refused(reply, a, check)) return reply;
      const token = tokenOf(fields);
      const current = token ? await registrationForOwner(ctx, token) : null;
      if (!current) return send(reply, 404, linkGonePage(a));
      const values = { ...fields, email: current.email };
      const action = fields.action ?? 'submit';
      if (action === 'add') {
        return managePage(req, reply, a, token, reshaped(values, { add: true }), {}, 200);
      }
      const remove = /^remove-(\d{1,2})$/.exec(action);
      if (remove) {
        const next = reshaped(values, { remove: Number(remove[1]) });
        return managePage(req, reply, a, token, next, {}, 200);
      }
      if (check === 'too_fast' || check === 'expired') {
        return managePage(req, reply, a, token, values, { form: formTimingMessage(check) }, 400);
      }
      const checked = checkUpdate(a, fields);
      if (!checked.ok) return managePage(req, reply, a, token, values, checked.errors, 400);
      try {
        await updateRegistration(ctx, token, checked.value);
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 404) {
          return send(reply, 404, linkGonePage(a));
        }
        throw error;
      }
      return send(
        reply,
        200,
        messagePage(
          a,
          'Your changes are saved',
          [
            'Thank you. The registry has your changes.',
            html`<a href="/portal/cameras/manage?token=${token}">Back to your registration</a>`,
          ],
          'ok',
        ),
      );
    });

    post('/portal/cameras/withdraw', async (req, reply, fields) => {
      const a = await agency();
      if (refused(reply, a, await guard.checkOrigin(req, FORMS.withdraw, fields.formToken))) {
        return reply;
      }
      const token = tokenOf(fields);
      const current = token ? await registrationForOwner(ctx, token) : null;
      if (!current) return send(reply, 404, linkGonePage(a));
      if (fields.sure !== 'yes') {
        return managePage(
          req,
          reply,
          a,
          token,
          fieldsOf(current),
          {
            form: 'To withdraw, tick "Yes, remove my cameras from the registry" and press the button again.',
          },
          400,
        );
      }
      await withdrawRegistration(ctx, token);
      ctx.mail?.kick();
      return send(
        reply,
        200,
        messagePage(
          a,
          'Your registration is withdrawn',
          [
            'Your cameras have left the registry and your contact details are deleted.',
            'We have emailed you to confirm it. You are welcome to register again at any time.',
          ],
          'ok',
        ),
      );
    });

    registerReportPages(kit);
  }
};

function formTimingMessage(check: Exclude<FormCheck, 'ok' | 'forged'>): string {
  return check === 'too_fast'
    ? 'The form was sent very quickly after it opened. Please check your entries, then send it again.'
    : 'The form was open for a long time. Please check your entries, then send it again.';
}
