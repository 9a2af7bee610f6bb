import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtzSendError } from '../../../server/cameras/ptzHttp';
import { passwordDigest, sendOnvifCommand } from '../../../server/cameras/onvifPtz';
import { sendPtzCommand } from '../../../server/cameras/ptzControl';
import { startOnvifDevice, type OnvifDevice } from './onvifDevice';

/**
 * Steering an ONVIF camera (docs/ptz.md, "ONVIF cameras") against a camera double that speaks
 * ONVIF's SOAP and checks the WS-Security password digest of every request.
 */

const USER = 'ptz-operator';
const PASSWORD = 'Onvif-Pass-5150';
const noWait = () => Promise.resolve();

let camera: OnvifDevice;
let bare: OnvifDevice;

beforeAll(async () => {
  camera = await startOnvifDevice(USER, PASSWORD);
  bare = await startOnvifDevice(USER, PASSWORD, { withPtzProfile: false });
});

afterAll(async () => {
  await camera.close();
  await bare.close();
});

describe('an ONVIF camera', () => {
  it('finds its PTZ service and profile once, then moves one step and stops', async () => {
    camera.calls.length = 0;
    const device = new URL(camera.deviceUrl);
    await sendOnvifCommand(device, { username: USER, password: PASSWORD }, 'left', noWait);
    expect(camera.calls).toEqual([
      { operation: 'GetCapabilities' },
      { operation: 'GetProfiles' },
      {
        operation: 'ContinuousMove',
        profile: 'Profile_Dome',
        pan: -0.5,
        tilt: 0,
        zoom: 0,
        timeout: 'PT0.5S',
      },
      { operation: 'Stop', profile: 'Profile_Dome' },
    ]);

    // The service and profile are kept: the next step is the move and the stop only.
    camera.calls.length = 0;
    await sendOnvifCommand(device, { username: USER, password: PASSWORD }, 'zoom_in', noWait);
    expect(camera.calls.map((c) => c.operation)).toEqual(['ContinuousMove', 'Stop']);
    expect(camera.calls[0]).toMatchObject({ pan: 0, tilt: 0, zoom: 0.5 });
    for (const [command, pan, tilt] of [
      ['right', 0.5, 0],
      ['up', 0, 0.5],
      ['down', 0, -0.5],
    ] as const) {
      camera.calls.length = 0;
      await sendOnvifCommand(device, { username: USER, password: PASSWORD }, command, noWait);
      expect(camera.calls[0]).toMatchObject({ operation: 'ContinuousMove', pan, tilt });
    }
  });

  it('goes home with GotoHomePosition, chosen from the source by its protocol', async () => {
    camera.calls.length = 0;
    await sendPtzCommand(
      { ptzUrl: camera.deviceUrl, ptzProtocol: 'onvif', username: USER, password: PASSWORD },
      'home',
    );
    expect(camera.calls.at(-1)).toEqual({ operation: 'GotoHomePosition', profile: 'Profile_Dome' });
  });

  it('says the camera refused the credentials when the digest does not match', async () => {
    const wrong = sendOnvifCommand(
      new URL(camera.deviceUrl),
      { username: USER, password: 'Not-The-Password' },
      'left',
      noWait,
    );
    await expect(wrong).rejects.toThrow(PtzSendError);
    await expect(wrong).rejects.toThrow('the camera refused the credentials on file');
  });

  it('passes the reason of a fault on, and looks the profile up again after it', async () => {
    const device = new URL(camera.deviceUrl);
    await sendOnvifCommand(device, { username: USER, password: PASSWORD }, 'left', noWait);
    camera.failNext('Pan out of range');
    await expect(
      sendOnvifCommand(device, { username: USER, password: PASSWORD }, 'left', noWait),
    ).rejects.toThrow('the camera refused the command (Pan out of range)');
    camera.calls.length = 0;
    await sendOnvifCommand(device, { username: USER, password: PASSWORD }, 'left', noWait);
    expect(camera.calls[0]).toEqual({ operation: 'GetCapabilities' });
  });

  it('says so when no media profile has PTZ, and when nothing answers', async () => {
    await expect(
      sendOnvifCommand(
        new URL(bare.deviceUrl),
        { username: USER, password: PASSWORD },
        'up',
        noWait,
      ),
    ).rejects.toThrow('the camera has no media profile with PTZ');
    await expect(
      sendOnvifCommand(new URL('http://127.0.0.1:9/onvif/device_service'), {}, 'up', noWait),
    ).rejects.toThrow('the camera is unreachable');
  });

  it('digests the nonce, the time and the password as the token profile defines', () => {
    // SHA-1 of the bytes 00 01 02 03, "2026-11-30T12:00:00Z" and "secret", in Base64, as
    // `openssl sha1 -binary | base64` gives it.
    const nonce = Buffer.from([0, 1, 2, 3]);
    const digest = passwordDigest(nonce, '2026-11-30T12:00:00Z', 'secret');
    expect(digest).toBe('xZrbY6zxuJElXaNxvfZSJKekSzw=');
    expect(passwordDigest(nonce, '2026-11-30T12:00:01Z', 'secret')).not.toBe(digest);
    expect(passwordDigest(Buffer.from([0, 1, 2, 4]), '2026-11-30T12:00:00Z', 'secret')).not.toBe(
      digest,
    );
  });
});
