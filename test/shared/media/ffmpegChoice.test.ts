import { describe, expect, it } from 'vitest';
import { chooseFfmpeg, parseFfmpegVersion } from '../../../shared/media/ffmpegChoice';
import { ffmpegCandidates } from '../../../electron/host/gateway/ffmpegPath';
import { selectRelayFfmpeg } from '../../../server/relay/ffmpegBinary';

const banner = (v: string) => `ffmpeg version ${v} Copyright (c) 2000-2026 the FFmpeg developers\n`;

/** What each fake binary answers to -version (null: it does not run). */
const answers =
  (table: Record<string, string | null>) =>
  (path: string): string | null =>
    table[path] ?? null;

describe('choosing the ffmpeg binary', () => {
  it('reads the versions ffmpeg builds print', () => {
    expect(parseFfmpegVersion(banner('5.1.9-0+deb12u1'))).toMatchObject({
      major: 5,
      minor: 1,
      patch: 9,
    });
    expect(parseFfmpegVersion(banner('4.1'))).toMatchObject({ major: 4, minor: 1, patch: 0 });
    expect(parseFfmpegVersion(banner('n7.1.1'))).toMatchObject({ major: 7, minor: 1, patch: 1 });
    expect(parseFfmpegVersion(banner('N-112233-gdeadbeef'))).toBeNull();
    expect(parseFfmpegVersion('not ffmpeg at all')).toBeNull();
  });

  it("prefers the system's ffmpeg when it is newer than the bundled 4.1", () => {
    const choice = chooseFfmpeg(
      [
        { path: '/usr/bin/ffmpeg', origin: 'system' },
        { path: '/bundle/ffmpeg', origin: 'bundled' },
      ],
      answers({ '/usr/bin/ffmpeg': banner('5.1.9-0+deb12u1'), '/bundle/ffmpeg': banner('4.1') }),
    );
    expect(choice).toMatchObject({ path: '/usr/bin/ffmpeg', origin: 'system' });
    expect(choice.why).toMatch(/system ffmpeg 5\.1\.9.*newest.*bundled 4\.1/);
  });

  it('keeps the bundled one when the system has an older build, or none that runs', () => {
    const older = chooseFfmpeg(
      [
        { path: '/usr/bin/ffmpeg', origin: 'system' },
        { path: '/bundle/ffmpeg', origin: 'bundled' },
      ],
      answers({ '/usr/bin/ffmpeg': banner('4.0.2'), '/bundle/ffmpeg': banner('4.1') }),
    );
    expect(older.origin).toBe('bundled');
    const broken = chooseFfmpeg(
      [
        { path: '/usr/bin/ffmpeg', origin: 'system' },
        { path: '/bundle/ffmpeg', origin: 'bundled' },
      ],
      answers({ '/bundle/ffmpeg': banner('4.1') }),
    );
    expect(broken.origin).toBe('bundled');
  });

  it('takes the system one on a tie, and the bundled one when nothing answers', () => {
    const tie = chooseFfmpeg(
      [
        { path: '/bundle/ffmpeg', origin: 'bundled' },
        { path: '/usr/bin/ffmpeg', origin: 'system' },
      ],
      answers({ '/usr/bin/ffmpeg': banner('6.0'), '/bundle/ffmpeg': banner('6.0') }),
    );
    expect(tie.origin).toBe('system');
    const none = chooseFfmpeg(
      [
        { path: '/usr/bin/ffmpeg', origin: 'system' },
        { path: '/bundle/ffmpeg', origin: 'bundled' },
      ],
      answers({}),
    );
    expect(none).toMatchObject({ path: '/bundle/ffmpeg', version: null });
    expect(none.why).toMatch(/no ffmpeg answered/);
  });

  it('always runs WF_FFMPEG_PATH, even an old one, and says so', () => {
    const candidates = ffmpegCandidates({ WF_FFMPEG_PATH: ' /opt/ff/ffmpeg ' }, () => true);
    expect(candidates).toEqual([{ path: '/opt/ff/ffmpeg', origin: 'WF_FFMPEG_PATH' }]);
    const choice = chooseFfmpeg(candidates, answers({ '/opt/ff/ffmpeg': banner('3.4.8') }));
    expect(choice).toMatchObject({ path: '/opt/ff/ffmpeg', origin: 'WF_FFMPEG_PATH' });
    expect(choice.why).toMatch(/WF_FFMPEG_PATH names ffmpeg 3\.4\.8/);
  });

  it('lists the system paths that exist, then the bundled binary', () => {
    const candidates = ffmpegCandidates({}, (p) => p === '/usr/bin/ffmpeg');
    expect(candidates.map((c) => c.origin)).toEqual(['system', 'bundled']);
    expect(candidates[0]!.path).toBe('/usr/bin/ffmpeg');
    expect(ffmpegCandidates({}, () => false).map((c) => c.origin)).toEqual(['bundled']);
  });

  it('reads WF_FFMPEG_PATH by one rule in the gateway and the relay', () => {
    for (const env of [{ WF_FFMPEG_PATH: '   ' }, { WF_FFMPEG_PATH: '' }, {}]) {
      expect(ffmpegCandidates(env, () => false)).toEqual([
        { path: expect.any(String), origin: 'bundled' },
      ]);
    }
    const relay = selectRelayFfmpeg({ WF_FFMPEG_PATH: ' /nowhere/ffmpeg ' });
    expect(relay).toMatchObject({ path: '/nowhere/ffmpeg', origin: 'WF_FFMPEG_PATH' });
    expect(ffmpegCandidates({ WF_FFMPEG_PATH: ' /nowhere/ffmpeg ' })).toEqual([
      { path: relay.path, origin: relay.origin },
    ]);
  });
});
