/**
 * Digital zoom on a tile (docs/console.md, "Tile tools"): a scale and the top-left corner of the
 * part of the picture shown, in fractions of the picture, so the same view survives a maximise or
 * a restore whatever the tile's size in pixels. Pure, so the math is tested without a DOM.
 */
export interface TileZoom {
  /** 1 shows the whole picture. */
  readonly scale: number;
  /** The visible part's left and top edges, fractions of the picture, within [0, 1 - 1/scale]. */
  readonly ox: number;
  readonly oy: number;
}

export const NO_ZOOM: TileZoom = { scale: 1, ox: 0, oy: 0 };
export const MAX_TILE_ZOOM = 8;
/** One wheel notch, one key press, one button: 25 % closer or further. */
export const ZOOM_STEP = 1.25;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function within(scale: number, ox: number, oy: number): TileZoom {
  const s = clamp(scale, 1, MAX_TILE_ZOOM);
  // Near 1, snap back to the whole picture rather than leave a hair of zoom.
  if (s < 1.01) return NO_ZOOM;
  const room = 1 - 1 / s;
  return { scale: s, ox: clamp(ox, 0, room), oy: clamp(oy, 0, room) };
}

/**
 * Zooms by `factor` keeping the picture's point under (`px`, `py`) still; the point is in
 * fractions of the tile, as a pointer or pinch gives it.
 */
export function zoomAt(z: TileZoom, factor: number, px: number, py: number): TileZoom {
  const cx = z.ox + px / z.scale;
  const cy = z.oy + py / z.scale;
  const s = clamp(z.scale * factor, 1, MAX_TILE_ZOOM);
  return within(s, cx - px / s, cy - py / s);
}

/** Moves the view with a drag of (`dx`, `dy`), fractions of the tile: the picture follows the hand. */
export function panBy(z: TileZoom, dx: number, dy: number): TileZoom {
  return within(z.scale, z.ox - dx / z.scale, z.oy - dy / z.scale);
}

/** A wheel's `deltaY` as a zoom factor: a notch (about 100) is one step, up is closer. */
export function wheelFactor(deltaY: number): number {
  return ZOOM_STEP ** clamp(-deltaY / 100, -3, 3);
}

/** The CSS transform of the video for a view (transform-origin at the top left). */
export function zoomTransform(z: TileZoom): string {
  if (z.scale === 1) return '';
  return `scale(${z.scale}) translate(${-z.ox * 100}%, ${-z.oy * 100}%)`;
}

/** The indicator's text, "2.0×". */
export function zoomLabel(z: TileZoom): string {
  return `${z.scale.toFixed(1)}×`;
}

export const isZoomed = (z: TileZoom | undefined): boolean => !!z && z.scale > 1;

/** What a still taken from a zoomed tile says of it: the whole frame is kept, never the crop. */
export function zoomNote(z: TileZoom | undefined): string {
  return isZoomed(z) ? ` (shown at ${zoomLabel(z!)} digital zoom; whole frame kept)` : '';
}
