import { describe, expect, it } from 'vitest';
import { cameraFromColumns } from '../../../server/cameras/cameraColumns';
import { recordingsUrl } from '../../../server/evidence/recordingsFetch';
import { RecordingsSourceSchema } from '../../../shared/domain/cameras';

const start = Date.parse('2026-11-29T18:00:00Z');
const end = Date.parse('2026-11-29T18:05:00.250Z');

describe('recordings URL templates', () => {
  it('fills unix seconds (as Frigate takes them) and ISO times, encoded where they land', () => {
    expect(
      recordingsUrl(
        'http://nvr.test/api/front/start/{start_unix}/end/{end_unix}/clip.mp4',
        start,
        end,
      ),
    ).toBe('http://nvr.test/api/front/start/1795975200/end/1795975501/clip.mp4');
    expect(recordingsUrl('https://nvr.test/clip?from={start}&to={end}', start, end)).toBe(
      'https://nvr.test/clip?from=2026-11-29T18%3A00%3A00Z&to=2026-11-29T18%3A05%3A00Z',
    );
  });

  it('needs an http(s) URL naming both ends of the range', () => {
    const refused = (urlTemplate: string) =>
      RecordingsSourceSchema.safeParse({ urlTemplate }).error?.issues[0]?.message;
    expect(refused('rtsp://nvr.test/{start}/{end}')).toMatch(/http:\/\/ or https:\/\//);
    expect(refused('http://nvr.test/clip?from={start}')).toMatch(/names the start .* and the end/);
    expect(refused('http://nvr.test/clip?from={start_unix}&to={end}')).toBeUndefined();
  });
});

describe('the import columns of a recordings source', () => {
  const integrated = {
    kind: 'integrated',
    name: 'Pharmacy lot',
    lat: '36.1',
    lng: '-80.2',
    source_protocol: 'http-ts',
    source_url: 'http://cam.test/live.ts',
    sharing_mode: 'always',
    sharing_recordings: 'true',
  };

  it('reads the URL template and its credentials', () => {
    const row = cameraFromColumns({
      ...integrated,
      recordings_url: 'http://nvr.test/api/lot/start/{start_unix}/end/{end_unix}/clip.mp4',
      recordings_username: 'nvr',
      recordings_password: 'secret',
    });
    expect(row).toMatchObject({
      camera: {
        recordings: {
          urlTemplate: 'http://nvr.test/api/lot/start/{start_unix}/end/{end_unix}/clip.mp4',
          username: 'nvr',
          password: 'secret',
        },
      },
    });
  });

  it('refuses credentials with no URL, a bad template, and a registered camera with one, naming the column', () => {
    expect(cameraFromColumns({ ...integrated, recordings_password: 'x' })).toEqual({
      reason: 'recordings_password: credentials without a recordings_url have no use',
    });
    expect(
      cameraFromColumns({ ...integrated, recordings_url: 'http://nvr.test/clip' }),
    ).toMatchObject({
      reason: expect.stringMatching(/^recordings_url: a recordings URL names the start/),
    });
    expect(
      cameraFromColumns({
        kind: 'registered',
        name: 'Doorbell',
        lat: '36.1',
        lng: '-80.2',
        owner_name: 'A. Smith',
        recordings_url: 'http://nvr.test/{start}/{end}',
      }),
    ).toMatchObject({
      reason: expect.stringMatching(/^recordings_url: a registered camera has no feed/),
    });
  });
});
