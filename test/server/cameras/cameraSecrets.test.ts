import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cameraSecrets,
  loadCameraKey,
  parseCameraKey,
} from '../../../server/cameras/cameraSecrets';
import {
  liveSourceFromInput,
  openLiveSource,
  storeLiveSource,
} from '../../../server/cameras/sourceSealing';
import {
  ownersAlike,
  redactSourceUrl,
  restoreRedactedQuery,
  urlUserinfo,
} from '../../../shared/domain/cameraAdmin';

const CAM = '0b6f2b8e-6a43-4c1b-9f0e-3d8f1c2a7b10';

describe('sealing camera credentials', () => {
  const secrets = cameraSecrets(randomBytes(32));

  it('opens only for the camera and source it was sealed for', () => {
    const sealed = secrets.seal('{"password":"x"}', { cameraId: CAM, source: 'live' });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('password');
    expect(secrets.open(sealed, { cameraId: CAM, source: 'live' })).toBe('{"password":"x"}');
    expect(() => secrets.open(sealed, { cameraId: CAM, source: 'recordings' })).toThrow();
    expect(() => secrets.open(sealed, { cameraId: 'other', source: 'live' })).toThrow();
    expect(() =>
      cameraSecrets(randomBytes(32)).open(sealed, { cameraId: CAM, source: 'live' }),
    ).toThrow();
  });

  it('stores a source without secrets plain, and one with secrets sealed and shown redacted', () => {
    const plain = {
      protocol: 'hls' as const,
      url: 'https://cam.test/live.m3u8',
      codecHint: 'unknown' as const,
      ptz: false,
    };
    expect(storeLiveSource(secrets, CAM, plain)).toEqual({ descriptor: plain, sealed: null });
    const secret = {
      ...plain,
      url: 'https://u:p@cam.test/live.m3u8?token=abc&x=1',
      password: 'pw',
    };
    const stored = storeLiveSource(secrets, CAM, secret);
    expect(stored.descriptor).toEqual({
      ...plain,
      url: 'https://cam.test/live.m3u8?token=REDACTED&x=1',
    });
    expect(openLiveSource(secrets, CAM, stored)).toEqual(secret);
  });

  it('keeps the credentials on file when the address changes', () => {
    const kept = {
      protocol: 'rtsp' as const,
      url: 'rtsp://admin:s3cret@cam.test/1?apikey=K1',
      codecHint: 'h264' as const,
      ptz: false,
    };
    expect(
      liveSourceFromInput(
        {
          protocol: 'rtsp',
          url: 'rtsp://cam2.test/1?apikey=REDACTED',
          codecHint: 'h264',
          ptz: false,
          keepCredentials: true,
        },
        kept,
      ),
    ).toEqual({
      ...kept,
      url: 'rtsp://cam2.test/1?apikey=K1',
      username: 'admin',
      password: 's3cret',
    });
  });

  it('reads the key from hex or base64, or makes a file only its owner reads', async () => {
    const key = randomBytes(32);
    expect(parseCameraKey(key.toString('hex'))).toEqual(key);
    expect(parseCameraKey(key.toString('base64'))).toEqual(key);
    expect(() => parseCameraKey('short')).toThrow(/WF_CAMERA_KEY must be 32 bytes/);
    const dir = await mkdtemp(join(tmpdir(), 'wf-camera-key-'));
    try {
      const file = join(dir, 'camera-key');
      const made = loadCameraKey({ key: undefined, file });
      expect(made.created).toBe(true);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(parseCameraKey(await readFile(file, 'utf8'))).toEqual(made.key);
      expect(loadCameraKey({ key: undefined, file })).toEqual({ key: made.key, created: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('source addresses and owners', () => {
  it('takes the secret parts out of an address, leaving placeholders as written', () => {
    expect(redactSourceUrl('rtsp://user:pa@ss@cam.test:554/x')).toBe('rtsp://cam.test:554/x');
    expect(redactSourceUrl('rtsp://user:pass@cam.test:554/x')).toBe('rtsp://cam.test:554/x');
    expect(redactSourceUrl('https://nvr/clip?start={start}&end={end}&api_key=K&Token=T')).toBe(
      'https://nvr/clip?start={start}&end={end}&api_key=REDACTED&Token=REDACTED',
    );
    expect(
      restoreRedactedQuery('https://nvr2/c?token=REDACTED', 'https://nvr/c?x=1&token=abc'),
    ).toBe('https://nvr2/c?token=abc');
    expect(urlUserinfo('rtsp://a%40b:p%3Aw@cam/x')).toEqual({ username: 'a@b', password: 'p:w' });
  });

  it("says owners' names are alike when most words of the shorter one are in the other", () => {
    expect(ownersAlike('Olivia Quartermain', 'olivia quartermain LLC')).toBe(true);
    expect(ownersAlike("Joe's Pharmacy, Inc.", 'Joe s Pharmacy')).toBe(true);
    expect(ownersAlike('Ann Owner', 'Gus Carter')).toBe(false);
    expect(ownersAlike('LLC', 'Inc')).toBe(false);
  });
});
