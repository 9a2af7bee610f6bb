import { describe, expect, it } from 'vitest';
import { decodeRelayRef, encodeRelayRef, rewritePlaylist } from '../../../server/relay/hlsRewrite';

const target = {
  playlistUrl: new URL('http://cam.test:8080/live/index.m3u8?session=1'),
  cameraOrigin: 'http://cam.test:8080',
  relayPath: (p: string) => `/r/u/${encodeRelayRef(p)}`,
  refusedPath: '/r/refused',
};

describe('rewriting an HLS camera playlist for the relay', () => {
  it('keeps entries on the camera, resolved, and refuses everything else', () => {
    const out = rewritePlaylist(
      [
        '#EXTM3U',
        '#EXT-X-KEY:METHOD=AES-128,URI="key.bin"',
        '#EXT-X-MAP:URI="https://cam.test:8080/init.mp4"',
        '#EXTINF:1,',
        'seg-1.ts?x=1',
        '#EXTINF:1,',
        '/abs/seg-2.ts',
        '#EXTINF:1,',
        '//elsewhere.test/seg-3.ts',
        '#EXTINF:1,',
        'http://cam.test:9090/seg-4.ts',
        '#EXTINF:1,',
        'file:///etc/passwd',
        '#EXTINF:1,',
        'http://127.0.0.1:7400/v1/cameras',
        '',
      ].join('\r\n'),
      target,
    ).split('\n');
    const refs = (line: string) => decodeRelayRef(line.replace(/^.*\/u\//, '').replace(/".*$/, ''));
    expect(refs(out[1]!)).toBe('/live/key.bin');
    // Another scheme is another origin.
    expect(out[2]).toBe('#EXT-X-MAP:URI="/r/refused"');
    expect(refs(out[4]!)).toBe('/live/seg-1.ts?x=1');
    expect(refs(out[6]!)).toBe('/abs/seg-2.ts');
    expect(out.slice(8).filter((l) => l && !l.startsWith('#'))).toEqual([
      '/r/refused',
      '/r/refused',
      '/r/refused',
      '/r/refused',
    ]);
  });

  it('reads back only references it could have made', () => {
    expect(decodeRelayRef(encodeRelayRef('/a/b.ts?c=d'))).toBe('/a/b.ts?c=d');
    for (const bad of ['//evil.test/x', 'relative.ts', '/a\\b', '/a b']) {
      expect(decodeRelayRef(encodeRelayRef(bad)), bad).toBeNull();
    }
    expect(decodeRelayRef('not base64!')).toBeNull();
    expect(decodeRelayRef('A'.repeat(201))).toBeNull();
  });
});
