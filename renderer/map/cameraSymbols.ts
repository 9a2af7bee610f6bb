import { CAMERA_KINDS, type CameraKind } from '../../shared/domain/cameras';

/**
 * Each kind of camera has its own shape as well as its own colour, so the layers stay apart for
 * colour-blind analysts and in a grey-scale printout: registered = ring (a location only),
 * integrated = diamond, agency = triangle.
 */
export const KIND_STYLE: Readonly<
  Record<
    CameraKind,
    {
      readonly color: string;
      readonly label: string;
      readonly shape: 'ring' | 'diamond' | 'triangle';
    }
  >
> = {
  registered: { color: '#c3a6ff', label: 'Registered', shape: 'ring' },
  integrated: { color: '#56b4e9', label: 'Integrated', shape: 'diamond' },
  agency: { color: '#e69f00', label: 'Agency', shape: 'triangle' },
};

const OUTLINE = '#05070a';

/** Trace a kind's shape centred on (x, y) with half-size r. */
export function traceShape(
  ctx: CanvasRenderingContext2D,
  kind: CameraKind,
  x: number,
  y: number,
  r: number,
): void {
  ctx.beginPath();
  switch (KIND_STYLE[kind].shape) {
    case 'ring':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      break;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15);
      ctx.lineTo(x - r * 1.15, y);
      ctx.closePath();
      break;
    case 'triangle':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.15, y + r * 0.85);
      ctx.lineTo(x - r * 1.15, y + r * 0.85);
      ctx.closePath();
      break;
  }
}

/** One camera. `mark` rings it: on the wall, or in the radius result. */
export function drawCamera(
  ctx: CanvasRenderingContext2D,
  kind: CameraKind,
  x: number,
  y: number,
  r: number,
  mark: 'none' | 'wall' | 'selected',
  /** Not viewable now (the owner's window is closed): faint, struck through. */
  closed = false,
): void {
  const { color, shape } = KIND_STYLE[kind];
  ctx.save();
  if (closed) ctx.globalAlpha = 0.45;
  if (mark !== 'none') {
    ctx.beginPath();
    ctx.arc(x, y, r + 4, 0, Math.PI * 2);
    ctx.lineWidth = 2;
    ctx.strokeStyle = mark === 'selected' ? '#ffd34d' : '#ffffff';
    ctx.stroke();
  }
  traceShape(ctx, kind, x, y, r);
  if (shape === 'ring') {
    ctx.fillStyle = 'rgba(5,7,10,0.75)';
    ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = color;
    ctx.stroke();
  } else {
    ctx.fillStyle = color;
    ctx.fill();
    ctx.lineWidth = 1.25;
    ctx.strokeStyle = OUTLINE;
    ctx.stroke();
  }
  ctx.restore();
  if (closed) {
    ctx.beginPath();
    ctx.moveTo(x - r - 1, y + r + 1);
    ctx.lineTo(x + r + 1, y - r - 1);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#e8ecf1';
    ctx.stroke();
  }
}

/**
 * A cluster of cameras of any kinds: a disc with the count, ringed by one arc per kind in the
 * kind's colour, each as long as its share, so a mixed cluster shows its breakdown at a glance.
 */
export function drawCluster(
  ctx: CanvasRenderingContext2D,
  counts: Readonly<Record<CameraKind, number>>,
  x: number,
  y: number,
  count: number,
  fontPx: number,
  scale = 1,
): number {
  const r = Math.min(22, 9 + Math.log10(count) * 4) * scale;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(10,13,17,0.92)';
  ctx.fill();
  let start = -Math.PI / 2;
  const ring = Math.max(3, 3.5 * scale);
  for (const kind of CAMERA_KINDS) {
    const n = counts[kind];
    if (n === 0) continue;
    const end = start + (2 * Math.PI * n) / count;
    ctx.beginPath();
    ctx.arc(x, y, r - ring / 2, start, end);
    ctx.lineWidth = ring;
    ctx.strokeStyle = KIND_STYLE[kind].color;
    ctx.stroke();
    start = end;
  }
  ctx.fillStyle = '#e8ecf1';
  ctx.font = `700 ${fontPx}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const text =
    count >= 10_000
      ? `${Math.round(count / 1000)}k`
      : count >= 1000
        ? `${(count / 1000).toFixed(1)}k`
        : String(count);
  ctx.fillText(text, x, y);
  return r;
}

/** A cluster's breakdown in words, for its tooltip. */
export function describeCluster(counts: Readonly<Record<CameraKind, number>>): string {
  return CAMERA_KINDS.filter((k) => counts[k] > 0)
    .map((k) => `${counts[k].toLocaleString('en-US')} ${KIND_STYLE[k].label.toLowerCase()}`)
    .join(' · ');
}

/** The number of the wall tile a camera is on, in a small tag to the upper right of its symbol. */
export function drawTileNumber(
  ctx: CanvasRenderingContext2D,
  tile: number,
  x: number,
  y: number,
  r: number,
  fontPx: number,
): void {
  const text = String(tile);
  ctx.font = `700 ${fontPx}px system-ui, sans-serif`;
  const w = ctx.measureText(text).width + 6;
  const h = fontPx + 4;
  const left = x + r + 3;
  const top = y - r - h + 2;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(left, top, w, h);
  ctx.fillStyle = '#05070a';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left + w / 2, top + h / 2 + 0.5);
}
