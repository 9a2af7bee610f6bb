import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgencyConfig } from '../../shared/domain/agency';
import { RegistrationEmailSchema } from '../../shared/domain/portal';
import { html, type Markup } from './html';
import type { PortalKit } from './portalKit';
import { layout, messagePage } from './portalPages';

/**
 * The portal's "email me a link" forms: a registration's manage link (docs/portal.md) and an
 * owner's sign-in link (docs/owners.md). Each takes an email address and answers every good
 * post with the same "Check your email" page, whether or not the address has anything here, so
 * that the page tells nobody whose address it is. Each keeps the portal's guards: the signed
 * token and its fill time, the honeypot, and no promise of a link when no email can leave.
 */

export interface LinkRequest {
  /** The name the form's tokens are signed for. */
  readonly form: string;
  /** Where the form posts. */
  readonly action: string;
  readonly title: string;
  /** What the page says above the form. */
  readonly intro: (a: AgencyConfig) => Markup;
  readonly button: string;
  /** The answer to every good post, whether a link left or not. */
  readonly sent: readonly string[];
  /** What a form sent too fast, or left open too long, is told. */
  readonly timingMessage: (check: 'too_fast' | 'expired') => string;
  /** What the 503 says when the server cannot send email (the portal's own words otherwise). */
  readonly noMail?: string;
  /** Emails a link when the address has something here, and does nothing otherwise. */
  readonly request: (email: string) => Promise<unknown>;
}

export type LinkRequestPage = (
  req: FastifyRequest,
  reply: FastifyReply,
  a: AgencyConfig,
  status: number,
  error?: string,
) => Promise<unknown>;

/** Registers the form's post; answers with the page that shows the form, for its GET. */
export function linkRequestForm(kit: PortalKit, spec: LinkRequest): LinkRequestPage {
  const { ctx, guard, send, refused, noMail, agency } = kit;

  const page: LinkRequestPage = async (req, reply, a, status, error) => {
    const formToken = await guard.issue(req, reply, spec.form);
    return send(
      reply,
      status,
      layout(a, {
        title: spec.title,
        body: html`<h1>${spec.title}</h1>
          ${spec.intro(a)}
          ${
            error
              ? html`<div class="summary" role="alert">
                  <p><a href="#email">${error}</a></p>
                </div>`
              : ''
          }
          <form method="post" action="${spec.action}" novalidate>
            <input type="hidden" name="formToken" value="${formToken}" />
            <label for="email">Email</label>
            ${error ? html`<p class="error" id="email-error">Error: ${error}</p>` : ''}
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              required
              maxlength="254"
              ${error ? html` aria-invalid="true" aria-describedby="email-error"` : ''}
            />
            <div class="trap" aria-hidden="true">
              <label for="website">Leave this field empty</label
              ><input
                type="text"
                id="website"
                name="website"
                value=""
                tabindex="-1"
                autocomplete="off"
              />
            </div>
            <div class="actions"><button type="submit">${spec.button}</button></div>
          </form>`,
      }),
    );
  };

  kit.post(spec.action, async (req, reply, fields) => {
    const a = await agency();
    const check = await guard.check(req, spec.form, fields.formToken);
    if (refused(reply, a, check)) return reply;
    const sent = () => send(reply, 200, messagePage(a, 'Check your email', spec.sent, 'ok'));
    // A filled honeypot is a script: it is told what a person is told, and nothing is kept.
    if ((fields.website ?? '') !== '') return sent();
    const email = RegistrationEmailSchema.safeParse((fields.email ?? '').trim());
    if (!email.success) {
      return page(req, reply, a, 400, 'Enter an email address such as name@example.com');
    }
    if (check === 'too_fast' || check === 'expired') {
      return page(req, reply, a, 400, spec.timingMessage(check));
    }
    if (noMail(reply, a, spec.noMail)) return reply;
    await spec.request(email.data);
    ctx.mail?.kick();
    return sent();
  });

  return page;
}
