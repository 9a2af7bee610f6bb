import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpegJob } from '../gateway/ffmpegRun';

/**
 * The demo LPR readers' plate images: a synthetic JPEG per plate (a white plate on a dark road,
 * the plate's text and "SYNTHETIC" burned in when ffmpeg can draw text), made once with ffmpeg and
 * kept in the data folder. The demo's LPR hits point at them, as a vendor's hits point at its
 * own server (docs/integrations.md, "LPR hits").
 *
 *   GET /plates/<PLATE>.jpg
 */

/** Plates the demo uses: capitals, digits and dashes. */
export const PLATE_PATH = /^\/plates\/([A-Z0-9-]{1,10})\.jpg$/;

/** The caption every demo plate image carries. */
export const PLATE_CAPTION = 'SYNTHETIC DEMO';

function plateFilter(plate: string, font: string | null): string {
  const plateBox = 'drawbox=x=60:y=70:w=200:h=90:color=white@1:t=fill';
  if (!font) return plateBox;
  return [
    plateBox,
    `drawtext=fontfile=${font}:text='${plate}':fontcolor=black:fontsize=40:x=(w-tw)/2:y=95`,
    `drawtext=fontfile=${font}:text='${PLATE_CAPTION}':fontcolor=white:fontsize=16:x=(w-tw)/2:y=h-th-10`,
  ].join(',');
}

/** Makes one plate's image if it is not there yet; resolves with its bytes. */
export async function plateImage(
  ffmpegPath: string,
  folder: string,
  plate: string,
  font: string | null,
): Promise<Buffer> {
  if (!/^[A-Z0-9-]{1,10}$/.test(plate)) throw new Error(`not a demo plate: ${plate}`);
  const file = join(folder, `${plate}.jpg`);
  try {
    return await readFile(file);
  } catch {
    // Not made yet.
  }
  await mkdir(folder, { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp.jpg`;
  const result = await runFfmpegJob(ffmpegPath, [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'color=c=0x2b2f36:size=320x240:rate=1'],
    ...['-vf', plateFilter(plate, font), '-frames:v', '1', '-q:v', '5', '-f', 'image2', temp],
  ]);
  if (result.code !== 0) {
    await rm(temp, { force: true });
    throw new Error(`ffmpeg could not make the plate image: ${result.stderr.slice(-300)}`);
  }
  await rename(temp, file);
  return readFile(file);
}
