import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

/**
 * An ONVIF PTZ camera for tests, speaking ONVIF's SOAP 1.2 on one port: the device service
 * (GetCapabilities, naming its PTZ and media services by an inner address, as a camera behind an
 * address translation does), the media service (GetProfiles: a profile without PTZ, then one
 * with), and the PTZ service (ContinuousMove, Stop, GotoHomePosition). Every request must carry a
 * WS-Security UsernameToken whose password digest matches; otherwise it answers a SOAP fault with
 * the ter:NotAuthorized subcode, as ONVIF's core specification has it.
 */

export interface OnvifCall {
  readonly operation: string;
  readonly profile?: string;
  readonly pan?: number;
  readonly tilt?: number;
  readonly zoom?: number;
  readonly timeout?: string;
}

export interface OnvifDevice {
  readonly deviceUrl: string;
  readonly calls: OnvifCall[];
  /** Makes the next PTZ operation answer this fault reason. */
  failNext(reason: string): void;
  close(): Promise<void>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
});

const ENVELOPE = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

const FAULT = (subcode: string, reason: string) =>
  ENVELOPE(
    `<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>${subcode}</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">${reason}</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`,
  );

type Node = Record<string, unknown>;

function authorised(header: Node | undefined, username: string, password: string): boolean {
  const token = (header?.Security as Node | undefined)?.UsernameToken as Node | undefined;
  if (!token || token.Username !== username) return false;
  const nonce = Buffer.from(String((token.Nonce as Node)['#text'] ?? token.Nonce), 'base64');
  const created = String(token.Created);
  const sent = String((token.Password as Node)['#text']);
  const expected = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)]))
    .digest('base64');
  return sent === expected && (token.Password as Node)['@Type'] !== undefined;
}

export async function startOnvifDevice(
  username: string,
  password: string,
  options: { readonly withPtzProfile?: boolean } = {},
): Promise<OnvifDevice> {
  const calls: OnvifCall[] = [];
  let failure: string | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, xml: string) =>
        res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(xml);
      const action = /action="([^"]+)"/.exec(req.headers['content-type'] ?? '')?.[1] ?? '';
      const doc = parser.parse(Buffer.concat(chunks).toString('utf8')) as Node;
      const envelope = doc.Envelope as Node;
      if (!authorised(envelope.Header as Node | undefined, username, password)) {
        reply(400, FAULT('ter:NotAuthorized', 'Sender not authorized'));
        return;
      }
      const body = envelope.Body as Node;
      const operation = Object.keys(body)[0]!;
      const op = body[operation] as Node | string;
      const profile = typeof op === 'object' ? (op.ProfileToken as string | undefined) : undefined;
      if (!action.endsWith(`/${operation}`)) {
        reply(400, FAULT('ter:ActionNotSupported', `action ${action} for ${operation}`));
        return;
      }
      const path = req.url ?? '';
      if (path === '/onvif/device_service' && operation === 'GetCapabilities') {
        calls.push({ operation });
        reply(
          200,
          ENVELOPE(
            `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://192.168.1.64/onvif/media_service</tt:XAddr></tt:Media><tt:PTZ><tt:XAddr>http://192.168.1.64/onvif/ptz_service</tt:XAddr></tt:PTZ></tds:Capabilities></tds:GetCapabilitiesResponse>`,
          ),
        );
      } else if (path === '/onvif/media_service' && operation === 'GetProfiles') {
        calls.push({ operation });
        const ptz = options.withPtzProfile === false ? '' : '<tt:PTZConfiguration token="PTZ_1"/>';
        reply(
          200,
          ENVELOPE(
            `<trt:GetProfilesResponse><trt:Profiles token="Profile_Fixed" fixed="true"><tt:Name>fixed</tt:Name></trt:Profiles><trt:Profiles token="Profile_Dome"><tt:Name>dome</tt:Name>${ptz}</trt:Profiles></trt:GetProfilesResponse>`,
          ),
        );
      } else if (path === '/onvif/ptz_service') {
        if (failure) {
          const reason = failure;
          failure = null;
          reply(400, FAULT('ter:InvalidArgVal', reason));
          return;
        }
        const velocity = typeof op === 'object' ? (op.Velocity as Node | undefined) : undefined;
        const panTilt = velocity?.PanTilt as Node | undefined;
        const zoom = velocity?.Zoom as Node | undefined;
        calls.push({
          operation,
          ...(profile ? { profile } : {}),
          ...(panTilt ? { pan: Number(panTilt['@x']), tilt: Number(panTilt['@y']) } : {}),
          ...(zoom ? { zoom: Number(zoom['@x']) } : {}),
          ...(typeof op === 'object' && op.Timeout ? { timeout: String(op.Timeout) } : {}),
        });
        reply(200, ENVELOPE(`<tptz:${operation}Response/>`));
      } else {
        reply(400, FAULT('ter:ActionNotSupported', `${operation} at ${path}`));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    deviceUrl: `http://127.0.0.1:${port}/onvif/device_service`,
    calls,
    failNext: (reason) => {
      failure = reason;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
