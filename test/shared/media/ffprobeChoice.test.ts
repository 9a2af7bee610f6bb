import { describe, expect, it } from 'vitest';
import { chooseFfprobe, ffprobeBeside } from '../../../shared/media/ffprobeChoice';

describe('which ffprobe the server reads media with', () => {
  const only =
    (...present: string[]) =>
    (path: string) =>
      present.includes(path);

  it('takes WF_FFPROBE_PATH over everything', () => {
    expect(chooseFfprobe('/usr/bin/ffmpeg', ' /opt/ff/ffprobe ', only('/usr/bin/ffprobe'))).toBe(
      '/opt/ff/ffprobe',
    );
  });

  it("takes the system's, then the one beside the chosen ffmpeg", () => {
    const bundled = '/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg';
    expect(
      chooseFfprobe(bundled, undefined, only('/usr/bin/ffprobe', ffprobeBeside(bundled)!)),
    ).toBe('/usr/bin/ffprobe');
    expect(
      chooseFfprobe(bundled, '', only('/app/node_modules/@ffmpeg-installer/linux-x64/ffprobe')),
    ).toBe('/app/node_modules/@ffmpeg-installer/linux-x64/ffprobe');
  });

  it('answers none when there is none', () => {
    expect(chooseFfprobe('/usr/bin/ffmpeg', undefined, only())).toBeNull();
  });

  it('derives the name only from a binary called ffmpeg', () => {
    expect(ffprobeBeside('C:\\ffmpeg\\bin\\ffmpeg.exe')).toBe('C:\\ffmpeg\\bin\\ffprobe.exe');
    expect(ffprobeBeside('ffmpeg')).toBe('ffprobe');
    expect(ffprobeBeside('/opt/ffmpeg/bin/avconv')).toBeNull();
    expect(ffprobeBeside('/opt/my-ffmpeg')).toBeNull();
  });
});
