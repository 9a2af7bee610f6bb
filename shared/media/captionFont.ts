/**
 * Fonts ffmpeg's drawtext may caption synthetic video with (the simulator's clips, the demo tip
 * line's samples): Debian's DejaVu first. Pure: the caller says whether a file is there.
 */
export const CAPTION_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

/** The first candidate font that exists, or null. */
export async function firstCaptionFont(
  exists: (path: string) => Promise<boolean>,
): Promise<string | null> {
  for (const font of CAPTION_FONT_CANDIDATES) if (await exists(font)) return font;
  return null;
}
