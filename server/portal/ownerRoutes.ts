import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import { HttpError } from '../http/errorHandler';
import type { AgencyConfig } from '../../shared/domain/agency';
import { TotpCodeSchema } from '../../shared/api/auth';
import { describeSharingPolicy, formatInstant } from '../../shared/policy/describeSharingPolicy';
import {
  ALARM_MINUTES,
  LINK_MINUTES,
  OWNER_LINK_GONE,
  SESSION_MAX_HOURS,
  beginOwnerTotp,
  checkSignInCode,
  confirmOwnerTotp,
  currentSession,
  endAlarmByOwner,
  expireOwnerAlarms,
  ownerAlarm,
  ownerCameras,
  pendingOwnerTotp,
  raiseOwnerAlarm,
  removeOwnerTotp,
  requestSignInLink,
  setOwnerPolicy,
  signInWithLink,
  signOutOwner,
  type AlarmMinutes,
  type OwnedCamera,
  type OwnerSession,
} from '../owners/ownerChanges';
import { findUsableLink } from '../owners/ownerRepository';
import { ownerViews, type OwnerView } from '../owners/ownerViews';
import { html, type Markup } from './html';
import { linkRequestForm } from './linkRequest';
import type { PortalKit } from './portalKit';
import { buttonForm, hiddenInputs, layout, messagePage } from './portalPages';
import type { FieldErrors, FormFields } from './registrationForm';
import {
  checkPolicy,
  policyFields,
  policyForm,
  reshapedWindows,
  policyErrorSummary,
} from './ownerPolicyForm';

/**
 * The portal's pages for owners of integrated cameras, under /portal/owners/ (docs/owners.md):
 * sign-in by emailed link (and an authenticator code once added), their cameras' sharing
 * policies, the alarm, and who at the center viewed their cameras. They use the portal's own
 * page handling (server/portal/routes.ts): its limit per address, CSP, CSRF tokens and escaping.
 */

export const OWNER_COOKIE = 'wf_owner';
const OWNER_PATH = '/portal/owners';
/** How often alarms whose time is up are ended. */
const ALARM_SWEEP_MS = 15_000;

const FORMS = {
  link: 'owner-link',
  signIn: 'owner-sign-in',
  code: 'owner-code',
  policy: 'owner-policy',
  alarm: 'owner-alarm',
  alarmEnd: 'owner-alarm-end',
  totp: 'owner-totp',
  signOut: 'owner-sign-out',
} as const;

const tokenOf = (source: unknown, name = 'token'): string => {
  const t = (source as Record<string, unknown> | undefined)?.[name];
  return typeof t === 'string' && /^[A-Za-z0-9_-]{43}$/.test(t) ? t : '';
};

const cameraIdOf = (source: unknown): string => {
  const t = (source as { camera?: unknown } | undefined)?.camera;
  return typeof t === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(t) ? t : '';
};

function ownerCookieOf(req: FastifyRequest): string {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === OWNER_COOKIE) return tokenOf({ token: value.join('=') });
  }
  return '';
}

function setOwnerCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAgeS: number) {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${OWNER_COOKIE}=${value}; Path=${OWNER_PATH}; Max-Age=${maxAgeS}; HttpOnly; SameSite=Lax${secure}`,
  );
}

/** An instant on the agency's clock: "Mon 30 Nov 2026 14:05". */
const when = (instant: string | number, timeZone: string) =>
  formatInstant(new Date(instant).getTime(), timeZone);

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const ACCESS_WORDS: Readonly<Record<string, string>> = {
  live: 'Live video',
  recordings: 'Recordings',
  ptz: 'Steering (PTZ)',
};

/**
 * A form that takes an authenticator's 6-digit code (the sign-in's second step, adding or
 * removing an app), with its message tied to the field when the code was refused.
 */
function codeForm(opts: {
  action: string;
  formToken: string;
  hidden?: Readonly<Record<string, string>>;
  label: string;
  button: string;
  className?: string;
  error?: string | undefined;
}): Markup {
  const { error } = opts;
  return html`<form method="post" action="${opts.action}" novalidate>
    ${hiddenInputs(opts.formToken, opts.hidden)}
    <label for="code">${opts.label}</label>
    ${error ? html`<p class="error" id="code-error">Error: ${error}</p>` : ''}
    <input
      id="code"
      name="code"
      type="text"
      inputmode="numeric"
      autocomplete="one-time-code"
      maxlength="6"
      required
      ${error ? html` aria-invalid="true" aria-describedby="code-error"` : ''}
    />
    <div class="actions">
      <button type="submit" ${opts.className ? html` class="${opts.className}"` : ''}>
        ${opts.button}
      </button>
    </div>
  </form>`;
}

export function registerOwnerPages(kit: PortalKit): void {
  const { ctx, get, post, send, refused, guard, agency } = kit;
  ctx.tasks.every('owners.alarm.expire', ALARM_SWEEP_MS, async () => {
    await expireOwnerAlarms(ctx);
  });

  /** A redirect that is also a page (a person without redirects still has a link). */
  function seeOther(reply: FastifyReply, a: AgencyConfig, url: string, title: string) {
    reply.header('location', url);
    return send(reply, 303, messagePage(a, title, [html`<a href="${url}">Continue</a>`]));
  }

  /** The owner's full session, or null after answering with the way to sign in. */
  async function signedIn(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
  ): Promise<OwnerSession | null> {
    const token = ownerCookieOf(req);
    const session = token ? await currentSession(ctx, token) : null;
    if (session?.stage === 'full') return session;
    if (session?.stage === 'code') {
      seeOther(reply, a, `${OWNER_PATH}/code`, 'Enter your code');
      return null;
    }
    seeOther(reply, a, `${OWNER_PATH}/sign-in`, 'Please sign in');
    return null;
  }

  const ownerNav = html`<nav aria-label="Your camera sharing">
    <p>
      <a href="${OWNER_PATH}/">Your cameras</a> ·
      <a href="${OWNER_PATH}/views">Who viewed them</a> ·
      <a href="${OWNER_PATH}/security">Sign-in security</a>
    </p>
  </nav>`;

  async function ownerPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    status: number,
    title: string,
    body: Markup,
  ) {
    const signOut = await guard.issue(req, reply, FORMS.signOut);
    return send(
      reply,
      status,
      layout(a, {
        title,
        body: html`${ownerNav}${body}
        ${buttonForm({ action: `${OWNER_PATH}/sign-out`, formToken: signOut, button: 'Sign out', className: 'secondary' })}`,
      }),
    );
  }

  // ---- Sign-in ---------------------------------------------------------------------------

  const linkRequestPage = linkRequestForm(kit, {
    form: FORMS.link,
    action: `${OWNER_PATH}/sign-in-link`,
    title: 'Sign in: your cameras’ sharing',
    intro: (a) =>
      html`<p>
          If your cameras are integrated with ${a.name}, you decide here what they share and when,
          raise an alarm, and see who at the center viewed them.
        </p>
        <p>
          Enter the email the agency has for your cameras. We will send you a link to sign in; it
          works once, for ${LINK_MINUTES} minutes.
        </p>`,
    button: 'Email me a sign-in link',
    sent: [
      'If that address has cameras integrated with us, we have sent it a link to sign in.',
      `The link works once, for ${LINK_MINUTES} minutes. If no email arrives in a few minutes, look in your spam or junk folder.`,
    ],
    timingMessage: (check) =>
      check === 'too_fast'
        ? 'The form was sent very quickly after it opened. Please check the address, then send it again.'
        : 'The form was open for a long time. Please send it again.',
    noMail: 'This site cannot send email yet, and signing in needs it. Please try again later.',
    request: (email) => requestSignInLink(ctx, email),
  });

  const linkGonePage = (a: AgencyConfig) =>
    messagePage(a, 'This link no longer works', [
      `${OWNER_LINK_GONE} Sign-in links work once, for ${LINK_MINUTES} minutes.`,
      html`<a href="${OWNER_PATH}/sign-in">Ask for a new link</a>`,
    ]);

  get(`${OWNER_PATH}/`, async (req, reply) => {
    const a = await agency();
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    return homePage(req, reply, a, session, 200, {});
  });

  get(
    `${OWNER_PATH}/sign-in`,
    async (req, reply) => {
      const a = await agency();
      const token = tokenOf(req.query);
      if (!token) return linkRequestPage(req, reply, a, 200);
      const link = await findUsableLink(ctx.store, token, new Date(ctx.clock.now()));
      if (!link) return send(reply, 404, linkGonePage(a));
      const formToken = await guard.issue(req, reply, FORMS.signIn);
      return send(
        reply,
        200,
        layout(a, {
          title: 'Sign in',
          body: html`<h1>Sign in</h1>
            <p>Press the button to sign in to your cameras’ sharing with ${a.name}.</p>
            ${buttonForm({ action: `${OWNER_PATH}/sign-in`, formToken, hidden: { token }, button: 'Sign in' })}`,
        }),
      );
    },
    { quiet: true },
  );

  post(`${OWNER_PATH}/sign-in`, async (req, reply, fields) => {
    const a = await agency();
    if (refused(reply, a, await guard.checkOrigin(req, FORMS.signIn, fields.formToken)))
      return reply;
    const token = tokenOf(fields);
    if (!token) return send(reply, 404, linkGonePage(a));
    let started: { token: string; stage: 'code' | 'full' };
    try {
      started = await signInWithLink(ctx, token);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404) {
        return send(reply, 404, linkGonePage(a));
      }
      throw error;
    }
    setOwnerCookie(req, reply, started.token, SESSION_MAX_HOURS * 3600);
    return started.stage === 'code'
      ? seeOther(reply, a, `${OWNER_PATH}/code`, 'Enter your code')
      : seeOther(reply, a, `${OWNER_PATH}/`, 'You are signed in');
  });

  async function codePage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    status: number,
    error?: string,
  ) {
    const formToken = await guard.issue(req, reply, FORMS.code);
    return send(
      reply,
      status,
      layout(a, {
        title: 'Enter your code',
        body: html`<h1>Enter your code</h1>
          ${
            error
              ? html`<div class="summary" role="alert">
                  <p><a href="#code">${error}</a></p>
                </div>`
              : ''
          }
          ${codeForm({ action: `${OWNER_PATH}/code`, formToken, label: 'The 6-digit code from your authenticator app', button: 'Continue', error })}`,
      }),
    );
  }

  /** The session sent too many wrong codes and has ended: the cookie goes too. */
  function tooManyCodes(req: FastifyRequest, reply: FastifyReply, a: AgencyConfig) {
    setOwnerCookie(req, reply, '', 0);
    return send(
      reply,
      401,
      messagePage(a, 'Too many wrong codes', [
        'For your safety this sign-in has ended.',
        html`<a href="${OWNER_PATH}/sign-in">Ask for a new sign-in link</a>`,
      ]),
    );
  }

  /** The session between the link and the code, or null after answering. */
  async function halfSignedIn(req: FastifyRequest, reply: FastifyReply, a: AgencyConfig) {
    const token = ownerCookieOf(req);
    const session = token ? await currentSession(ctx, token) : null;
    if (session?.stage === 'code') return session;
    if (session?.stage === 'full') seeOther(reply, a, `${OWNER_PATH}/`, 'You are signed in');
    else seeOther(reply, a, `${OWNER_PATH}/sign-in`, 'Please sign in');
    return null;
  }

  get(`${OWNER_PATH}/code`, async (req, reply) => {
    const a = await agency();
    if (!(await halfSignedIn(req, reply, a))) return reply;
    return codePage(req, reply, a, 200);
  });

  post(`${OWNER_PATH}/code`, async (req, reply, fields) => {
    const a = await agency();
    if (refused(reply, a, await guard.checkOrigin(req, FORMS.code, fields.formToken))) return reply;
    const session = await halfSignedIn(req, reply, a);
    if (!session) return reply;
    const code = TotpCodeSchema.safeParse((fields.code ?? '').trim());
    if (!code.success) return codePage(req, reply, a, 400, 'Enter the 6 digits your app shows');
    const outcome = await checkSignInCode(ctx, session, code.data);
    if (outcome === 'accepted') return seeOther(reply, a, `${OWNER_PATH}/`, 'You are signed in');
    if (outcome === 'ended') return tooManyCodes(req, reply, a);
    return codePage(
      req,
      reply,
      a,
      400,
      'That code is not right, or was already used. Try the next one.',
    );
  });

  post(`${OWNER_PATH}/sign-out`, async (req, reply, fields) => {
    const a = await agency();
    if (refused(reply, a, await guard.checkOrigin(req, FORMS.signOut, fields.formToken)))
      return reply;
    const token = ownerCookieOf(req);
    const session = token ? await currentSession(ctx, token) : null;
    if (session) await signOutOwner(ctx, session);
    setOwnerCookie(req, reply, '', 0);
    return send(
      reply,
      200,
      messagePage(
        a,
        'You are signed out',
        [html`<a href="${OWNER_PATH}/sign-in">Sign in again</a>`],
        'ok',
      ),
    );
  });

  // ---- Cameras, policies and the alarm -----------------------------------------------------

  function cameraSection(c: OwnedCamera, a: AgencyConfig, alarmOn: boolean): Markup {
    const policy = c.policy
      ? describeSharingPolicy(c.policy, a.timeZone)
      : 'Nothing is agreed for this camera yet.';
    return html`<section class="camera" aria-labelledby="cam-${c.row.id}">
      <h3 id="cam-${c.row.id}">${c.row.name}</h3>
      ${c.row.address ? html`<p>${c.row.address}</p>` : ''}
      <p><strong>${alarmOn ? 'When your alarm ends: ' : 'Shared: '}</strong>${policy}</p>
      ${alarmOn ? html`<p>During your alarm it shares everything it can.</p>` : ''}
      ${
        c.agencyKeeps
          ? html`<p class="hint">
              ${a.name} keeps this camera’s policy on your behalf, as agreed with you. To change it,
              contact ${a.name}.
            </p>`
          : html`<p>
              <a href="${OWNER_PATH}/policy?camera=${c.row.id}"
                >Change what “${c.row.name}” shares</a
              >
            </p>`
      }
    </section>`;
  }

  async function homePage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    session: OwnerSession,
    status: number,
    errors: FieldErrors,
    notice?: string,
  ) {
    const cameras = await ownerCameras(ctx, session.email);
    const alarm = await ownerAlarm(ctx, session);
    const alarmToken = await guard.issue(req, reply, alarm ? FORMS.alarmEnd : FORMS.alarm);
    const alarmBlock = alarm
      ? html`<section class="summary" aria-labelledby="alarm-h">
          <h2 id="alarm-h">Your alarm is raised</h2>
          <p>
            Every camera below shares everything it can with ${a.name} until
            ${when(alarm.endsAt, a.timeZone)}. Then each returns to what you chose.
          </p>
          ${buttonForm({ action: `${OWNER_PATH}/alarm-end`, formToken: alarmToken, button: 'End the alarm now', className: 'secondary' })}
        </section>`
      : html`<section aria-labelledby="alarm-h">
          <h2 id="alarm-h">Raise an alarm</h2>
          <p>
            In trouble? Raising an alarm shares all your cameras in full (live video, recordings,
            steering) for the time you choose, and alerts ${a.name}’s center at your cameras’
            place. It does not replace a call to 911.
          </p>
          ${errors.minutes ? html`<p class="error" id="minutes-error">Error: ${errors.minutes}</p>` : ''}
          <form method="post" action="${OWNER_PATH}/alarm">
            <input type="hidden" name="formToken" value="${alarmToken}" />
            <fieldset${errors.minutes ? html` aria-describedby="minutes-error"` : ''}>
              <legend>Share everything for</legend>
              <div class="choice">
                ${ALARM_MINUTES.map(
                  (m, i) =>
                    html`<label
                      ><input
                        type="radio"
                        name="minutes"
                        value="${m}"
                        ${i === 0 ? html` id="minutes"` : ''}${m === 30 ? html` checked` : ''}
                      />
                      ${m} minutes</label
                    >`,
                )}
              </div>
            </fieldset>
            <div class="actions">
              <button type="submit" class="danger">Raise an alarm: share everything now</button>
            </div>
          </form>
        </section>`;
    return ownerPage(
      req,
      reply,
      a,
      status,
      'Your cameras',
      html`<h1>Your cameras</h1>
        ${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}
        ${errors.form ? html`<div class="summary" role="alert"><p>${errors.form}</p></div>` : ''}
        ${
          cameras.length === 0
            ? html`<p>No integrated camera is on file with your address at the moment.</p>`
            : html`${alarmBlock}
                <h2>What each camera shares</h2>
                ${cameras.map((c) => cameraSection(c, a, alarm !== null))}`
        }`,
    );
  }

  async function policyPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    camera: OwnedCamera,
    values: FormFields,
    errors: FieldErrors,
    status: number,
  ) {
    const formToken = await guard.issue(req, reply, FORMS.policy);
    return ownerPage(
      req,
      reply,
      a,
      status,
      `Sharing: ${camera.row.name}`,
      html`<h1>What “${camera.row.name}” shares</h1>
        <p>
          ${a.name} can view this camera only as you set here. A change applies at once: a view your
          new choice does not allow stops, and the analyst sees that you changed it.
        </p>
        ${policyForm({ formToken, cameraId: camera.row.id, values, errors, ptzPossible: camera.row.ptz })}`,
    );
  }

  /** The owner's camera the request names, editable by them; null after answering. */
  async function editableCamera(
    reply: FastifyReply,
    a: AgencyConfig,
    session: OwnerSession,
    cameraId: string,
  ): Promise<OwnedCamera | null> {
    const camera = cameraId
      ? (await ownerCameras(ctx, session.email)).find((c) => c.row.id === cameraId)
      : undefined;
    if (!camera) {
      send(
        reply,
        404,
        messagePage(a, 'Not one of your cameras', [
          html`<a href="${OWNER_PATH}/">Back to your cameras</a>`,
        ]),
      );
      return null;
    }
    if (camera.agencyKeeps) {
      send(
        reply,
        409,
        messagePage(a, 'Kept by the agency', [
          `${a.name} keeps the sharing policy of “${camera.row.name}” on your behalf. To change it, contact ${a.name}.`,
          html`<a href="${OWNER_PATH}/">Back to your cameras</a>`,
        ]),
      );
      return null;
    }
    return camera;
  }

  get(`${OWNER_PATH}/policy`, async (req, reply) => {
    const a = await agency();
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    const camera = await editableCamera(reply, a, session, cameraIdOf(req.query));
    if (!camera) return reply;
    const values = camera.policy ? policyFields(camera.policy) : { mode: 'always', live: 'yes' };
    return policyPage(req, reply, a, camera, values, {}, 200);
  });

  post(`${OWNER_PATH}/policy`, async (req, reply, fields) => {
    const a = await agency();
    const check = await guard.check(req, FORMS.policy, fields.formToken);
    if (refused(reply, a, check)) return reply;
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    const camera = await editableCamera(reply, a, session, cameraIdOf(fields));
    if (!camera) return reply;
    const action = fields.action ?? 'save';
    if (action === 'add') {
      return policyPage(req, reply, a, camera, reshapedWindows(fields, { add: true }), {}, 200);
    }
    const remove = /^remove-(\d{1,2})$/.exec(action);
    if (remove) {
      const next = reshapedWindows(fields, { remove: Number(remove[1]) });
      return policyPage(req, reply, a, camera, next, {}, 200);
    }
    if (check === 'too_fast' || check === 'expired') {
      const message =
        check === 'too_fast'
          ? 'The form was sent very quickly after it opened. Please check your choices, then save again.'
          : 'The form was open for a long time. Please check your choices, then save again.';
      return policyPage(req, reply, a, camera, fields, { mode: message }, 400);
    }
    const checked = checkPolicy(fields, camera.row.ptz);
    if (!checked.ok) return policyPage(req, reply, a, camera, fields, checked.errors, 400);
    const done = await setOwnerPolicy(ctx, session, camera.row.id, checked.value);
    const stopped = done.revoked.length;
    return homePage(
      req,
      reply,
      a,
      session,
      200,
      {},
      done.duringAlarm
        ? `Saved. “${camera.row.name}” returns to it when your alarm ends.`
        : `Saved. “${camera.row.name}” now shares as you chose${stopped > 0 ? `; ${stopped === 1 ? 'a view' : `${stopped} views`} it no longer allows stopped` : ''}.`,
    );
  });

  post(`${OWNER_PATH}/alarm`, async (req, reply, fields) => {
    const a = await agency();
    if (refused(reply, a, await guard.checkOrigin(req, FORMS.alarm, fields.formToken)))
      return reply;
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    const minutes = Number(fields.minutes);
    if (!ALARM_MINUTES.includes(minutes as AlarmMinutes)) {
      return homePage(req, reply, a, session, 400, {
        minutes: `Choose ${ALARM_MINUTES.join(', ')} minutes`,
      });
    }
    try {
      await raiseOwnerAlarm(ctx, session, minutes as AlarmMinutes);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 409) {
        return homePage(req, reply, a, session, 409, { form: error.message });
      }
      throw error;
    }
    return homePage(
      req,
      reply,
      a,
      session,
      200,
      {},
      `Your alarm is raised and ${a.name}’s center is alerted. In an emergency, call 911.`,
    );
  });

  post(`${OWNER_PATH}/alarm-end`, async (req, reply, fields) => {
    const a = await agency();
    if (refused(reply, a, await guard.checkOrigin(req, FORMS.alarmEnd, fields.formToken)))
      return reply;
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    const ended = await endAlarmByOwner(ctx, session);
    return homePage(
      req,
      reply,
      a,
      session,
      200,
      {},
      ended
        ? 'Your alarm has ended. Each camera shares again as you chose.'
        : 'Your alarm had already ended.',
    );
  });

  // ---- Who viewed ------------------------------------------------------------------------

  function viewRow(v: OwnerView, a: AgencyConfig, names: boolean): Markup {
    return html`<tr>
      <td>${when(v.at, a.timeZone)}</td>
      <td>${v.cameraName}</td>
      <td>
        ${v.ongoing ? 'Still viewing' : v.durationMs === null ? 'Not known' : duration(v.durationMs)}
      </td>
      <td>${ACCESS_WORDS[v.access] ?? v.access}</td>
      <td>${v.reason}</td>
      <td>${v.reference ?? 'None'}</td>
      ${names ? html`<td>${v.viewer ?? ''}</td>` : ''}
    </tr>`;
  }

  get(`${OWNER_PATH}/views`, async (req, reply) => {
    const a = await agency();
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    const views = await ownerViews(ctx, session);
    const names = a.portal.showViewerNames;
    return ownerPage(
      req,
      reply,
      a,
      200,
      'Who viewed your cameras',
      html`<h1>Who viewed your cameras</h1>
        <p>
          Every time someone at ${a.name}’s center views one of your cameras, they must give a
          reason and, for most reasons, a case or incident number. This list comes from the center’s
          audit trail, the same record the agency’s auditors read.
          ${names ? '' : 'It does not name the analyst.'}
        </p>
        ${
          views.length === 0
            ? html`<p>Nobody at the center has viewed your cameras.</p>`
            : html`<div
                class="table-wrap"
                role="region"
                aria-labelledby="views-caption"
                tabindex="0"
              >
                <table>
                  <caption id="views-caption">
                    The newest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Camera</th>
                      <th scope="col">How long</th>
                      <th scope="col">What</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Case number</th>
                      ${names ? html`<th scope="col">Analyst</th>` : ''}
                    </tr>
                  </thead>
                  <tbody>
                    ${views.map((v) => viewRow(v, a, names))}
                  </tbody>
                </table>
              </div>`
        }`,
    );
  });

  // ---- Sign-in security ------------------------------------------------------------------

  async function securityPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    session: OwnerSession,
    status: number,
    opts: { pending?: { secret: string; uri: string }; error?: string; notice?: string } = {},
  ) {
    const formToken = await guard.issue(req, reply, FORMS.totp);
    let body: Markup;
    if (session.hasTotp) {
      body = html`<p>
          An authenticator app is added to your account: each sign-in asks for its code after the
          emailed link.
        </p>
        <h2>Remove the app</h2>
        <p>
          To remove it, enter a code the app shows now. Signing in will then take only the emailed
          link, and we will email you that the app was removed. Lost the phone with the app? Contact
          ${a.name}.
        </p>
        ${policyErrorSummary(opts.error ? { code: opts.error } : {})}
        ${codeForm({ action: `${OWNER_PATH}/authenticator`, formToken, hidden: { action: 'remove' }, label: 'The 6-digit code from the app', button: 'Remove the app', className: 'danger', error: opts.error })}`;
    } else if (opts.pending) {
      const qr = `data:image/svg+xml;base64,${Buffer.from(renderSVG(opts.pending.uri)).toString('base64')}`;
      body = html`<p>
          Scan this code with an authenticator app (such as the one your phone offers), or type the
          key below into it. Then enter the 6-digit code it shows.
        </p>
        <img src="${qr}" width="200" height="200" alt="QR code for your authenticator app" />
        <p>Key: <code>${opts.pending.secret}</code></p>
        ${policyErrorSummary(opts.error ? { code: opts.error } : {})}
        ${codeForm({ action: `${OWNER_PATH}/authenticator`, formToken, hidden: { action: 'confirm' }, label: 'The 6-digit code from the app', button: 'Add the app', error: opts.error })}`;
    } else {
      body = html`<p>
          Signing in takes only the link we email you. Add an authenticator app and each sign-in
          will also ask for the code it shows, so that someone who gets into your email cannot
          change what your cameras share.
        </p>
        ${buttonForm({ action: `${OWNER_PATH}/authenticator`, formToken, hidden: { action: 'start' }, button: 'Add an authenticator app' })}`;
    }
    return ownerPage(
      req,
      reply,
      a,
      status,
      'Sign-in security',
      html`<h1>Sign-in security</h1>
        ${opts.notice ? html`<p class="ok" role="status">${opts.notice}</p>` : ''} ${body}`,
    );
  }

  get(`${OWNER_PATH}/security`, async (req, reply) => {
    const a = await agency();
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    return securityPage(req, reply, a, session, 200);
  });

  post(`${OWNER_PATH}/authenticator`, async (req, reply, fields) => {
    const a = await agency();
    if (refused(reply, a, await guard.checkOrigin(req, FORMS.totp, fields.formToken))) return reply;
    const session = await signedIn(req, reply, a);
    if (!session) return reply;
    if (fields.action === 'remove') return removeAuthenticator(req, reply, a, session, fields);
    if (session.hasTotp) return securityPage(req, reply, a, session, 409);
    if (fields.action === 'start') {
      const pending = await beginOwnerTotp(ctx, session);
      return securityPage(req, reply, a, session, 200, { pending });
    }
    const pending = await pendingOwnerTotp(ctx, session);
    if (fields.action !== 'confirm' || !pending) {
      return securityPage(req, reply, a, session, 400, {
        notice: 'Start again: press “Add an authenticator app”.',
      });
    }
    const code = TotpCodeSchema.safeParse((fields.code ?? '').trim());
    const ok = code.success && (await confirmOwnerTotp(ctx, session, code.data));
    if (!ok) {
      return securityPage(req, reply, a, session, 400, {
        pending,
        error: 'That code is not right. Enter the 6 digits the app shows now',
      });
    }
    return securityPage(req, reply, a, { ...session, hasTotp: true }, 200, {
      notice: 'The authenticator app is added. From now on, signing in asks for its code.',
    });
  });

  /** "Remove the app": only with a code the app shows now (docs/owners.md). */
  async function removeAuthenticator(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AgencyConfig,
    session: OwnerSession,
    fields: FormFields,
  ) {
    const none = { ...session, hasTotp: false };
    const noneNotice = { notice: 'No authenticator app is added to your account.' };
    if (!session.hasTotp) return securityPage(req, reply, a, none, 409, noneNotice);
    const code = TotpCodeSchema.safeParse((fields.code ?? '').trim());
    if (!code.success) {
      return securityPage(req, reply, a, session, 400, {
        error: 'Enter the 6 digits the app shows now',
      });
    }
    const outcome = await removeOwnerTotp(ctx, session, code.data);
    if (outcome === 'ended') return tooManyCodes(req, reply, a);
    if (outcome === 'none') return securityPage(req, reply, a, none, 409, noneNotice);
    if (outcome === 'wrong') {
      return securityPage(req, reply, a, session, 400, {
        error: 'That code is not right, or was already used. Enter the 6 digits the app shows now',
      });
    }
    ctx.mail?.kick();
    return securityPage(req, reply, a, none, 200, {
      notice:
        'The authenticator app is removed. Signing in now takes only the link we email you. We have emailed you to say so.',
    });
  }
}
