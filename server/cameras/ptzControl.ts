import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PtzCommand } from '../../shared/api/cameras';
import type { SourceDescriptor } from '../../shared/domain/cameras';
import { splitCredentials } from '../relay/cameraUpstream';
import { sendOnvifCommand } from './onvifPtz';
import { PtzSendError } from './ptzError';

/** How long a camera has to take a command: a step the analyst does not see is worse than none. */
const PTZ_TIMEOUT_MS = 3000;

export { PtzSendError };

/**
 * Sends one PTZ step to the camera (docs/ptz.md): to an ONVIF camera's device service through
 * onvifPtz.ts, or else posted to the control URL as `{"command": "left"}` with the source's
 * credentials as HTTP Basic, where any 2xx is taken. Anything else is a PtzSendError.
 */
export function sendPtzCommand(
  source: Pick<SourceDescriptor, 'ptzUrl' | 'ptzProtocol' | 'username' | 'password'>,
  command: PtzCommand,
): Promise<void> {
  if (!source.ptzUrl) return Promise.reject(new PtzSendError('no PTZ control address on file'));
  const { url, username, password } = splitCredentials(source.ptzUrl, source);
  if (source.ptzProtocol === 'onvif') return sendOnvifCommand(url, { username, password }, command);
  const body = JSON.stringify({ command });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (username || password) {
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const options = { method: 'POST', headers, timeout: PTZ_TIMEOUT_MS };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, rejectUnauthorized: false })
        : httpRequest(url, options);
    req.once('timeout', () => req.destroy(new PtzSendError('the camera did not answer')));
    req.once('error', (err) =>
      reject(err instanceof PtzSendError ? err : new PtzSendError('the camera is unreachable')),
    );
    req.once('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else if (status === 401 || status === 403)
        reject(new PtzSendError('the camera refused the credentials on file'));
      else reject(new PtzSendError(`the camera answered ${status}`));
    });
    req.end(body);
  });
}
