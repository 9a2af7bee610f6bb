import { describe, expect, it } from 'vitest';
import { parseMediaPath, queryValue } from '../../../../electron/host/gateway/mediaRequest';

const ID = 'AbCdEfGhIjKlMnOpQrStUv';

describe('media paths', () => {
  it('accepts exactly the gateway forms', () => {
    expect(parseMediaPath(`${ID}/live.m3u8`)).toEqual({
      id: ID,
      target: { kind: 'live-playlist' },
    });
    expect(parseMediaPath(`/${ID}/part-42.m4s`)).toEqual({
      id: ID,
      target: { kind: 'part', seq: 42 },
    });
    expect(parseMediaPath(`${ID}/seg-7.m4s`)).toEqual({
      id: ID,
      target: { kind: 'segment', msn: 7 },
    });
    expect(parseMediaPath(`${ID}/init-0.mp4`)).toEqual({ id: ID, target: { kind: 'init', id: 0 } });
    expect(parseMediaPath(`${ID}/replay.m3u8`)?.target.kind).toBe('replay-playlist');
    expect(parseMediaPath(`${ID}/snapshot.jpg`)?.target.kind).toBe('snapshot');
  });

  it.each([
    '../../etc/passwd',
    `${ID}/../../../etc/passwd`,
    `${ID}/..%2f..%2fetc%2fpasswd`,
    `%2e%2e/${ID}/live.m3u8`,
    `${ID}/live.m3u8/..`,
    `${ID}\\..\\live.m3u8`,
    `/etc/passwd`,
    `${ID}/init-0.m4s`,
    `${ID}/seg-1.mp4`,
    `${ID}/part--1.m4s`,
    `${ID}/part-99999999999999999.m4s`,
    `${ID}/live.m3u8\u0000.jpg`,
    `short/live.m3u8`,
    `${ID}//live.m3u8`,
    `${ID}/LIVE.M3U8`,
    `${'a'.repeat(200)}/live.m3u8`,
    '',
  ])('refuses %j', (path) => {
    expect(parseMediaPath(path)).toBeNull();
  });

  it('reads query values from URLSearchParams and plain objects', () => {
    expect(queryValue(new URLSearchParams('_HLS_msn=3'), '_HLS_msn')).toBe('3');
    expect(queryValue({ _HLS_part: ['1', '2'] }, '_HLS_part')).toBe('1');
    expect(queryValue({}, '_HLS_part')).toBeUndefined();
  });
});
