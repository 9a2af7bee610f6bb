import type { LightMyRequestResponse } from 'fastify';
import { MIN_FILL_MS } from '../../../server/portal/formGuard';
import type { CaughtMail } from '../../../server/mail/mailCatcher';
import { ELIGIBILITY_QUESTIONS, ELIGIBLE_ANSWER } from '../../../shared/domain/onlineReports';
import { hiddenFields, type PortalApp, type Visitor } from './portalSupport';

/** Helpers for the online report's portal tests: eligible answers, a valid report, multipart. */

export const ELIGIBLE: Readonly<Record<string, string>> = Object.fromEntries(
  ELIGIBILITY_QUESTIONS.map((q) => [`elig_${q}`, ELIGIBLE_ANSWER[q]]),
);

/** A valid theft report in the test city, as form fields. */
export function reportFields(
  email: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    category: 'theft_of_property',
    occurredAt: '2026-01-14T21:30',
    occurredUntil: '',
    address: '200 W 4th St',
    lat: '36.1001',
    lng: '-80.2441',
    narrative: 'My bicycle was taken from the rack in front of the library while I was inside.',
    suspect: 'A man about 30, red hoodie, jeans.',
    property: 'Blue Trek FX 2 bicycle, serial WTU123456, worth $600.',
    vehicle: '',
    name: 'Sam Ortiz',
    dob: '1990-05-04',
    email,
    phone: '(336) 555-0199',
    homeAddress: '12 Elm St',
    acknowledged: 'yes',
    website: '',
    ...extra,
  };
}

export interface Upload {
  readonly name: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** A multipart body as a browser sends it, and its content type. */
export async function multipart(
  fields: Readonly<Record<string, string>>,
  files: readonly Upload[] = [],
): Promise<{ body: Buffer; contentType: string }> {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  for (const f of files) data.append('files', new Blob([f.bytes], { type: f.type }), f.name);
  if (files.length === 0) data.append('files', new Blob([]), '');
  const req = new Request('http://portal.invalid/', { method: 'POST', body: data });
  return {
    body: Buffer.from(await req.arrayBuffer()),
    contentType: req.headers.get('content-type')!,
  };
}

export async function postMultipart(
  t: PortalApp,
  v: Visitor,
  url: string,
  fields: Readonly<Record<string, string>>,
  files: readonly Upload[] = [],
  cookie?: string,
): Promise<LightMyRequestResponse> {
  const { body, contentType } = await multipart(fields, files);
  return t.app.api.inject({
    method: 'POST',
    url,
    remoteAddress: v.address,
    headers: {
      'content-type': contentType,
      ...((cookie ?? v.cookieHeader) ? { cookie: cookie ?? v.cookieHeader! } : {}),
    },
    payload: body,
  });
}

/**
 * Answers the questions, takes the report form's hidden fields, lets a person's time pass and
 * posts the report. Answers the response and the fields it posted (to post them again).
 */
export async function fileReport(
  t: PortalApp,
  v: Visitor,
  fields: Readonly<Record<string, string>>,
  files: readonly Upload[] = [],
): Promise<{ res: LightMyRequestResponse; posted: Record<string, string> }> {
  const form = await v.fill('/portal/reports', '/portal/reports/eligibility', ELIGIBLE);
  if (form.statusCode !== 200) throw new Error(`eligibility → ${form.statusCode}: ${form.body}`);
  const hidden = hiddenFields(form.body, '/portal/reports/new');
  t.clock.advance(MIN_FILL_MS + 1000);
  const posted = { ...hidden, ...fields };
  return { res: await postMultipart(t, v, '/portal/reports/new', posted, files), posted };
}

/** The status link in a received email. */
export function statusLinkIn(mail: CaughtMail): string {
  const m =
    /https:\/\/portal\.test-city\.example(\/portal\/reports\/status\?token=[A-Za-z0-9_-]+)/.exec(
      mail.text,
    );
  if (!m) throw new Error(`no status link in "${mail.subject}":\n${mail.text}`);
  return m[1]!;
}

export const JPEG: Upload = {
  name: 'bike.jpg',
  type: 'image/jpeg',
  bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 3]),
};
