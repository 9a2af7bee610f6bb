import type { PtzCommand } from '../../shared/api/cameras';
import type { SourceDescriptor } from '../../shared/domain/cameras';
import { splitCredentials } from '../relay/cameraUpstream';
import { sendOnvifCommand } from './onvifPtz';
import { postToCamera, PtzSendError } from './ptzHttp';

export { PtzSendError };

/**
 * Sends one PTZ step to the camera (docs/ptz.md): to an ONVIF camera's device service through
 * onvifPtz.ts, or else posted to the control URL as `{"command": "left"}` with the source's
 * credentials as HTTP Basic, where any 2xx is taken. Anything else is a PtzSendError.
 */
export async function sendPtzCommand(
  source: Pick<SourceDescriptor, 'ptzUrl' | 'ptzProtocol' | 'username' | 'password'>,
  command: PtzCommand,
): Promise<void> {
  if (!source.ptzUrl) throw new PtzSendError('no PTZ control address on file');
  const { url, username, password } = splitCredentials(source.ptzUrl, source);
  if (source.ptzProtocol === 'onvif') return sendOnvifCommand(url, { username, password }, command);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (username || password) {
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const { status } = await postToCamera(url, headers, JSON.stringify({ command }));
  if (status >= 200 && status < 300) return;
  if (status === 401 || status === 403) {
    throw new PtzSendError('the camera refused the credentials on file');
  }
  throw new PtzSendError(`the camera answered ${status}`);
}
