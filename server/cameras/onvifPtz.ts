import { createHash, randomBytes } from 'node:crypto';
import type { PtzCommand } from '../../shared/api/cameras';
import { childElements, findElement, parseUntrustedXml, xmlText } from '../http/untrustedXml';
import { postToCamera, PtzSendError } from './ptzHttp';

/**
 * Steering an ONVIF camera (docs/ptz.md, "ONVIF cameras"). The camera form gives the device
 * service's address (`http://camera/onvif/device_service`); the server asks it where its PTZ and
 * media services are (GetCapabilities), takes the first media profile that has a PTZ
 * configuration (GetProfiles), and then moves the camera one step per command: ContinuousMove at
 * half speed with a half-second timeout, then Stop (a camera that ignores the timeout still
 * stops), or GotoHomePosition. Every request carries a WS-Security UsernameToken with the
 * password digest (SHA-1 of nonce, creation time and password), as ONVIF's core specification
 * asks. Answers are parsed as untrusted XML (no DOCTYPE, no entities).
 */

const SOAP_ENV = 'http://www.w3.org/2003/05/soap-envelope';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const DIGEST_TYPE =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const NONCE_ENCODING =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const DEVICE = 'http://www.onvif.org/ver10/device/wsdl';
const MEDIA = 'http://www.onvif.org/ver10/media/wsdl';
const PTZ = 'http://www.onvif.org/ver20/ptz/wsdl';
const SCHEMA = 'http://www.onvif.org/ver10/schema';

/** How long one step moves the camera: the move's timeout, and the wait before Stop. */
export const STEP_MS = 500;
/** Half speed in ONVIF's generic velocity space (-1 to 1). */
const SPEED = 0.5;
/** Where a camera's PTZ service and profile were found are kept this long. */
const TARGET_TTL_MS = 10 * 60_000;

export interface OnvifCredentials {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

/** The PTZ service's address and the media profile the commands name. */
export interface OnvifTarget {
  readonly ptzUrl: URL;
  readonly profileToken: string;
}

const escapeXml = (s: string): string =>
  s.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );

/** Base64 of SHA-1 over the nonce's bytes, the creation time and the password. */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

/** The WS-Security header of one request; none without a username. */
export function securityHeader(creds: OnvifCredentials, now: Date, nonce: Buffer): string {
  if (!creds.username) return '';
  const created = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const digest = passwordDigest(nonce, created, creds.password ?? '');
  return (
    `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}">` +
    `<wsse:UsernameToken><wsse:Username>${escapeXml(creds.username)}</wsse:Username>` +
    `<wsse:Password Type="${DIGEST_TYPE}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${NONCE_ENCODING}">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

function envelope(header: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${SOAP_ENV}" xmlns:tds="${DEVICE}" xmlns:trt="${MEDIA}" ` +
    `xmlns:tptz="${PTZ}" xmlns:tt="${SCHEMA}">` +
    `<s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** The text of a SOAP fault's reason and subcode, to say why the camera refused. */
function faultOf(doc: unknown): { reason: string; notAuthorized: boolean } | null {
  const fault = findElement(doc, 'Fault');
  if (fault === undefined) return null;
  const reason = xmlText(findElement(findElement(fault, 'Reason'), 'Text')) ?? 'a fault';
  const codes = JSON.stringify(findElement(fault, 'Code') ?? '');
  return { reason, notAuthorized: /NotAuthorized/i.test(codes) };
}

/** One SOAP request; the parsed answer, or a PtzSendError in words for the analyst. */
async function soap(
  url: URL,
  action: string,
  body: string,
  creds: OnvifCredentials,
): Promise<unknown> {
  const xml = envelope(securityHeader(creds, new Date(), randomBytes(16)), body);
  const { status, text } = await postToCamera(
    url,
    { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` },
    xml,
  );
  let doc: unknown;
  try {
    doc = parseUntrustedXml(text, 'answer', 'a SOAP answer');
  } catch {
    throw new PtzSendError(`the camera answered ${status} with something other than SOAP`);
  }
  const fault = faultOf(doc);
  if (fault?.notAuthorized || status === 401 || status === 403) {
    throw new PtzSendError('the camera refused the credentials on file');
  }
  if (fault) throw new PtzSendError(`the camera refused the command (${fault.reason})`);
  if (status < 200 || status >= 300) throw new PtzSendError(`the camera answered ${status}`);
  return doc;
}

/**
 * A service address the camera gave, taken on the device's own origin: a camera behind an address
 * translation names its services by its inner address, which the server cannot reach.
 */
function serviceUrl(device: URL, xaddr: string | null, what: string): URL {
  if (!xaddr) throw new PtzSendError(`the camera offers no ${what} service`);
  let given: URL;
  try {
    given = new URL(xaddr);
  } catch {
    throw new PtzSendError(`the camera gave a ${what} address that is not a URL`);
  }
  return new URL(`${given.pathname}${given.search}`, device.origin);
}

/** Where the camera's PTZ service is, and the first media profile that has PTZ. */
export async function findOnvifTarget(device: URL, creds: OnvifCredentials): Promise<OnvifTarget> {
  const caps = await soap(
    device,
    `${DEVICE}/GetCapabilities`,
    '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>',
    creds,
  );
  const capabilities = findElement(caps, 'Capabilities');
  const ptzUrl = serviceUrl(
    device,
    xmlText(findElement(findElement(capabilities, 'PTZ'), 'XAddr')),
    'PTZ',
  );
  const mediaUrl = serviceUrl(
    device,
    xmlText(findElement(findElement(capabilities, 'Media'), 'XAddr')),
    'media',
  );
  const profiles = await soap(mediaUrl, `${MEDIA}/GetProfiles`, '<trt:GetProfiles/>', creds);
  const list = childElements(findElement(profiles, 'GetProfilesResponse'), 'Profiles');
  const withPtz = list.find((p) => findElement(p, 'PTZConfiguration') !== undefined);
  const token = withPtz ? (withPtz as Record<string, unknown>)['@token'] : undefined;
  if (typeof token !== 'string' || token === '') {
    throw new PtzSendError('the camera has no media profile with PTZ');
  }
  return { ptzUrl, profileToken: token };
}

/** The velocity of one step, in ONVIF's generic space. */
function velocityOf(command: Exclude<PtzCommand, 'home'>): {
  pan: number;
  tilt: number;
  zoom: number;
} {
  return {
    left: { pan: -SPEED, tilt: 0, zoom: 0 },
    right: { pan: SPEED, tilt: 0, zoom: 0 },
    up: { pan: 0, tilt: SPEED, zoom: 0 },
    down: { pan: 0, tilt: -SPEED, zoom: 0 },
    zoom_in: { pan: 0, tilt: 0, zoom: SPEED },
    zoom_out: { pan: 0, tilt: 0, zoom: -SPEED },
  }[command];
}

const cache = new Map<string, { target: OnvifTarget; until: number }>();

/**
 * One step of an ONVIF camera whose device service is at `device`. The PTZ service and profile
 * are looked up once and kept for ten minutes; a failed command looks them up afresh next time.
 */
export async function sendOnvifCommand(
  device: URL,
  creds: OnvifCredentials,
  command: PtzCommand,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const key = `${device.href} ${creds.username ?? ''}`;
  const now = Date.now();
  const known = cache.get(key);
  const target = known && known.until > now ? known.target : await findOnvifTarget(device, creds);
  cache.set(key, { target, until: now + TARGET_TTL_MS });
  const profile = `<tptz:ProfileToken>${escapeXml(target.profileToken)}</tptz:ProfileToken>`;
  try {
    if (command === 'home') {
      await soap(
        target.ptzUrl,
        `${PTZ}/GotoHomePosition`,
        `<tptz:GotoHomePosition>${profile}</tptz:GotoHomePosition>`,
        creds,
      );
      return;
    }
    const v = velocityOf(command);
    await soap(
      target.ptzUrl,
      `${PTZ}/ContinuousMove`,
      `<tptz:ContinuousMove>${profile}<tptz:Velocity>` +
        `<tt:PanTilt x="${v.pan}" y="${v.tilt}"/><tt:Zoom x="${v.zoom}"/></tptz:Velocity>` +
        `<tptz:Timeout>PT${STEP_MS / 1000}S</tptz:Timeout></tptz:ContinuousMove>`,
      creds,
    );
    await wait(STEP_MS);
    await soap(
      target.ptzUrl,
      `${PTZ}/Stop`,
      `<tptz:Stop>${profile}<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>`,
      creds,
    );
  } catch (err) {
    cache.delete(key);
    throw err;
  }
}
