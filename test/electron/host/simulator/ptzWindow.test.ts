import { describe, expect, it } from 'vitest';
import {
  cropCommands,
  cropFilter,
  homeWindow,
  nextPtzWindow,
} from '../../../../electron/host/simulator/ptzWindow';

const HD = { width: 1280, height: 720 };

describe('the demo PTZ camera’s window', () => {
  it('starts at home: the middle half of the picture', () => {
    expect(homeWindow(HD)).toEqual({ x: 320, y: 180, w: 640, h: 360 });
  });

  it('pans and tilts by a quarter of the window and stops at the picture’s edge', () => {
    const home = homeWindow(HD);
    expect(nextPtzWindow(home, 'left', HD)).toEqual({ x: 160, y: 180, w: 640, h: 360 });
    expect(nextPtzWindow(home, 'right', HD)).toEqual({ x: 480, y: 180, w: 640, h: 360 });
    expect(nextPtzWindow(home, 'up', HD)).toEqual({ x: 320, y: 90, w: 640, h: 360 });
    expect(nextPtzWindow(home, 'down', HD)).toEqual({ x: 320, y: 270, w: 640, h: 360 });
    let win = home;
    for (let i = 0; i < 5; i++) win = nextPtzWindow(win, 'left', HD);
    expect(win.x).toBe(0);
    for (let i = 0; i < 9; i++) win = nextPtzWindow(win, 'right', HD);
    expect(win.x).toBe(640);
    for (let i = 0; i < 9; i++) win = nextPtzWindow(win, 'down', HD);
    expect(win.y).toBe(360);
  });

  it('zooms about the window’s centre, keeps the aspect, and stays between 1x and 4x', () => {
    const closer = nextPtzWindow(homeWindow(HD), 'zoom_in', HD);
    expect(closer).toEqual({ x: 384, y: 216, w: 512, h: 288 });
    let win = closer;
    for (let i = 0; i < 10; i++) win = nextPtzWindow(win, 'zoom_in', HD);
    expect(win).toMatchObject({ w: 320, h: 180 });
    // Rounding to even pixels may move the centre by a pixel or two, never more.
    expect(Math.abs(win.x + win.w / 2 - 640)).toBeLessThanOrEqual(4);
    expect(Math.abs(win.y + win.h / 2 - 360)).toBeLessThanOrEqual(4);
    for (let i = 0; i < 10; i++) win = nextPtzWindow(win, 'zoom_out', HD);
    expect(win).toEqual({ x: 0, y: 0, w: 1280, h: 720 });
  });

  it('zooming out near an edge keeps the window inside the picture', () => {
    let win = homeWindow(HD);
    for (let i = 0; i < 5; i++) win = nextPtzWindow(win, 'right', HD);
    win = nextPtzWindow(win, 'zoom_out', HD);
    expect(win.x + win.w).toBeLessThanOrEqual(1280);
    expect(win.w).toBe(800);
  });

  it('home puts it back from anywhere', () => {
    const moved = nextPtzWindow(nextPtzWindow(homeWindow(HD), 'zoom_in', HD), 'up', HD);
    expect(nextPtzWindow(moved, 'home', HD)).toEqual(homeWindow(HD));
  });

  it('tells ffmpeg the window: as a filter at start, as crop commands while running', () => {
    const win = { x: 160, y: 180, w: 640, h: 360 };
    expect(cropFilter(win, { width: 640, height: 360 })).toBe(
      'crop=w=640:h=360:x=160:y=180,scale=640:360',
    );
    expect(cropCommands(win)).toBe(
      'ccrop -1 w 640\nccrop -1 h 360\nccrop -1 x 160\nccrop -1 y 180\n',
    );
  });
});
