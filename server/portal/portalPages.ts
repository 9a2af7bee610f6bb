import type { AgencyConfig } from '../../shared/domain/agency';
import { escapeHtml, html, Markup } from './html';

/**
 * The portal's pages (docs/portal.md): server-rendered HTML with plain forms, so they work on
 * any phone, with a keyboard and with a screen reader, and need no script at all.
 */

export interface PageOptions {
  readonly title: string;
  readonly body: Markup;
  /** Shown under the page: the false-report notice on pages that report to the police. */
  readonly footerNotice?: string;
  /** The portal's own scripts and their style sheets: only the map pages have any. */
  readonly scripts?: readonly string[];
  readonly styles?: readonly string[];
}

/** Every page: the agency's header, the emergency notice first, then the page. */
export function layout(agency: AgencyConfig, page: PageOptions): string {
  const logo = agency.logo ? html`<img src="${agency.logo}" alt="" />` : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} - ${agency.name}</title>
        <link rel="stylesheet" href="/portal/portal.css" />
        <link rel="stylesheet" href="/portal/agency.css" />
        ${(page.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}" />`)}
        ${(page.scripts ?? []).map(scriptTag)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header>
          <a href="/portal/">${logo}<span>${agency.name}</span></a>
        </header>
        <main id="main">
          <p class="notice" role="note"><strong>${agency.portal.emergencyNotice}</strong></p>
          ${page.body}
        </main>
        <footer>
          ${page.footerNotice ? html`<p>${page.footerNotice}</p>` : ''}
          <p>
            ${agency.name}. <a href="/portal/">Home</a> ·
            <a href="/portal/cameras/register">Register cameras</a> ·
            <a href="/portal/cameras/manage">Manage a registration</a> ·
            <a href="/portal/reports">Report online</a> ·
            <a href="/portal/transparency">Transparency report</a>
          </p>
        </footer>
      </body>
    </html> `.text;
}

export function homePage(agency: AgencyConfig): string {
  return layout(agency, {
    title: 'Public services',
    body: html`<h1>${agency.shortName} public services</h1>
      ${
        agency.onlineReports.enabled
          ? html`<h2><a href="/portal/reports">Report an incident online</a></h2>
              <p>
                Some incidents that are over, with no one hurt and no weapon involved, can be
                reported here. You get a temporary number at once and a case number once the report
                is reviewed.
              </p>`
          : ''
      }
      <h2><a href="/portal/cameras/register">Register your security cameras</a></h2>
      <p>
        Tell us where your home or business cameras are, so that when a crime happens nearby we know
        whom to ask for footage.
      </p>
      <h2><a href="/portal/cameras/manage">Change or withdraw a camera registration</a></h2>
      <p>We email you a link to change your details or remove your cameras from the registry.</p>
      <h2><a href="/portal/transparency">Transparency report</a></h2>
      <p>
        How we use cameras and the public's information, month by month, computed from our audit
        trail.
      </p>`,
    footerNotice: agency.portal.falseReportNotice,
  });
}

/** A page that says one thing: sent, done, gone, or wait. */
export function messagePage(
  agency: AgencyConfig,
  title: string,
  paragraphs: readonly (string | Markup)[],
  kind: 'ok' | 'plain' = 'plain',
): string {
  const first = paragraphs[0];
  const rest = paragraphs.slice(1);
  return layout(agency, {
    title,
    body: html`<h1>${title}</h1>
      ${first === undefined ? '' : kind === 'ok' ? html`<p class="ok" role="status">${first}</p>` : html`<p>${first}</p>`}
      ${rest.map((p) => html`<p>${p}</p>`)}`,
  });
}

/** A form's signed token and its hidden fields. */
export function hiddenInputs(
  formToken: string,
  hidden: Readonly<Record<string, string>> = {},
): Markup {
  return html`<input type="hidden" name="formToken" value="${formToken}" />
    ${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}`;
}

/** A form with one button (confirm a link, ask for a link), its token and hidden fields. */
export function buttonForm(opts: {
  action: string;
  formToken: string;
  hidden?: Readonly<Record<string, string>>;
  button: string;
  className?: string;
  before?: Markup;
}): Markup {
  return html`<form method="post" action="${opts.action}">
    ${hiddenInputs(opts.formToken, opts.hidden)} ${opts.before ?? ''}
    <div class="actions">
      <button type="submit" ${opts.className ? html` class="${opts.className}"` : ''}>
        ${opts.button}
      </button>
    </div>
  </form>`;
}

/**
 * A script element for one of the portal's own script paths (escaped like any value). Written as
 * a plain template: the Node build lowers a tagged template holding a closing script tag into a
 * helper import that the built server does not ship.
 */
function scriptTag(src: string): Markup {
  return new Markup(`<script src="${escapeHtml(src)}" defer></script>`);
}
