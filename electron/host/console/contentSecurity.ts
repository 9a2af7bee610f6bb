/**
 * The console's Content-Security-Policy, for both shells: code only from the bundle (no inline
 * script, no eval), media and workers from the console itself or blob: (hls.js feeds the video
 * element through MediaSource), images inline, from the console's media (tip photos) (snapshots are data: URLs) and from the configured
 * map tile server, nothing else from the network, no framing by anyone.
 */
export function consoleContentSecurityPolicy(extra: {
  /** Where map tiles come from (WF_MAP_TILES), if anywhere. */
  readonly imageSources?: readonly string[];
  /** Where media comes from besides the console's own origin (Electron: `wf-media:`). */
  readonly mediaSources?: readonly string[];
}): string {
  const images = extra.imageSources ?? [];
  const media = extra.mediaSources ?? [];
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React and Leaflet set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // Tip photos and video posters come through the host like video (Electron: wf-media:).
    ["img-src 'self' data: blob:", ...images, ...media].join(' '),
    ["media-src 'self' blob:", ...media].join(' '),
    "worker-src 'self' blob:",
    ["connect-src 'self'", ...media].join(' '),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
