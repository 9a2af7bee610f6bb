/**
 * The demo's PTZ camera: a window moved over a larger picture (docs/ptz.md). Pan and tilt move the
 * window by a quarter of its size, zoom makes it smaller (closer) or larger, home puts it back.
 * Pure, so the steps are tested without ffmpeg; the simulator hands the window to ffmpeg's crop.
 */
import type { PtzCommand } from '../../../shared/api/cameras';

export interface PtzWindow {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PictureSize {
  readonly width: number;
  readonly height: number;
}

/** Each zoom step changes the window's size by this factor. */
const ZOOM_STEP = 1.25;
/** The closest the demo camera zooms: a quarter of the picture's width. */
const MAX_ZOOM = 4;

/** Even pixels: the picture is 4:2:0, so crop offsets and sizes must be even. */
const even = (v: number): number => 2 * Math.round(v / 2);

/** The home position: the middle half of the picture (2x), so that it can pan both ways. */
export function homeWindow(size: PictureSize): PtzWindow {
  const w = even(size.width / 2);
  const h = even(size.height / 2);
  return { x: even((size.width - w) / 2), y: even((size.height - h) / 2), w, h };
}

function clampInto(win: PtzWindow, size: PictureSize): PtzWindow {
  const w = Math.min(win.w, size.width);
  const h = Math.min(win.h, size.height);
  return {
    w,
    h,
    x: even(Math.max(0, Math.min(win.x, size.width - w))),
    y: even(Math.max(0, Math.min(win.y, size.height - h))),
  };
}

/** A window of width `w` (and the picture's aspect) about the same centre. */
function resized(win: PtzWindow, w: number, size: PictureSize): PtzWindow {
  const min = size.width / MAX_ZOOM;
  const width = even(Math.max(min, Math.min(size.width, w)));
  const height = even((width * size.height) / size.width);
  const cx = win.x + win.w / 2;
  const cy = win.y + win.h / 2;
  return clampInto({ x: cx - width / 2, y: cy - height / 2, w: width, h: height }, size);
}

export function nextPtzWindow(win: PtzWindow, command: PtzCommand, size: PictureSize): PtzWindow {
  const dx = even(win.w / 4);
  const dy = even(win.h / 4);
  switch (command) {
    case 'left':
      return clampInto({ ...win, x: win.x - dx }, size);
    case 'right':
      return clampInto({ ...win, x: win.x + dx }, size);
    case 'up':
      return clampInto({ ...win, y: win.y - dy }, size);
    case 'down':
      return clampInto({ ...win, y: win.y + dy }, size);
    case 'zoom_in':
      return resized(win, win.w / ZOOM_STEP, size);
    case 'zoom_out':
      return resized(win, win.w * ZOOM_STEP, size);
    case 'home':
      return homeWindow(size);
  }
}

/** ffmpeg's crop filter as the stream starts with the window. */
export function cropFilter(win: PtzWindow, out: PictureSize): string {
  return `crop=w=${win.w}:h=${win.h}:x=${win.x}:y=${win.y},scale=${out.width}:${out.height}`;
}

/**
 * The window as commands to a running ffmpeg's crop filter, typed on its standard input (ffmpeg's
 * interactive `c` key, then a line: target, time -1 for "now", command, argument).
 */
export function cropCommands(win: PtzWindow): string {
  return (['w', 'h', 'x', 'y'] as const).map((k) => `ccrop -1 ${k} ${win[k]}\n`).join('');
}
