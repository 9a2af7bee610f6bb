import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

/**
 * `npx tsx scripts/makeIcons.ts`: draws the app icon (the shapes of assets/icons/icon.svg) into
 * build/icons/NxN.png for Linux and build/icon.ico for Windows, without any image tool. Shapes
 * are sampled 4x4 per pixel for smooth edges.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
type Rgba = readonly [number, number, number, number];

const hex = (h: string, a = 255): Rgba => [
  parseInt(h.slice(1, 3), 16),
  parseInt(h.slice(3, 5), 16),
  parseInt(h.slice(5, 7), 16),
  a,
];
const GROUND = hex('#0d1117');
const EDGE = hex('#30363d');
const BLUE = hex('#58a6ff');
const AMBER = hex('#f0b429');
const CLEAR: Rgba = [0, 0, 0, 0];

function inRoundedRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  r: number,
): boolean {
  if (x < x0 || y < y0 || x > x0 + w || y > y0 + h) return false;
  const cx = Math.min(Math.max(x, x0 + r), x0 + w - r);
  const cy = Math.min(Math.max(y, y0 + r), y0 + h - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at (x, y) in the SVG's 512-unit space. */
function colourAt(x: number, y: number): Rgba {
  const d = Math.hypot(x - 256, y - 256);
  if (d <= 62) return AMBER;
  if (Math.abs(d - 150) <= 18) return BLUE;
  if (inRoundedRect(x, y, 236, 62, 40, 56, 10)) return BLUE;
  if (inRoundedRect(x, y, 22, 22, 468, 468, 90)) return GROUND;
  if (inRoundedRect(x, y, 10, 10, 492, 492, 102)) return EDGE;
  return CLEAR;
}

function render(size: number): Buffer {
  const px = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = colourAt(
            ((pxl + (sx + 0.5) / n) * 512) / size,
            ((py + (sy + 0.5) / n) * 512) / size,
          );
          acc[0]! += c[0] * c[3];
          acc[1]! += c[1] * c[3];
          acc[2]! += c[2] * c[3];
          acc[3]! += c[3];
        }
      }
      const o = (py * size + pxl) * 4;
      const alpha = acc[3]!;
      px[o] = alpha ? Math.round(acc[0]! / alpha) : 0;
      px[o + 1] = alpha ? Math.round(acc[1]! / alpha) : 0;
      px[o + 2] = alpha ? Math.round(acc[2]! / alpha) : 0;
      px[o + 3] = Math.round(alpha / (n * n));
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number): Buffer {
  const rgba = render(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO whose entries are PNGs (Windows Vista and later read them). */
function ico(images: readonly { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

const dir = join(root, 'build/icons');
mkdirSync(dir, { recursive: true });
const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
const images = sizes.map((size) => ({ size, data: png(size) }));
for (const { size, data } of images) writeFileSync(join(dir, `${size}x${size}.png`), data);
writeFileSync(join(root, 'build/icon.ico'), ico(images.filter((i) => i.size <= 256)));
writeFileSync(join(root, 'build/icon.png'), images[images.length - 1]!.data);
process.stdout.write(
  `watchfloor: icons written to build/icons/, build/icon.png and build/icon.ico\n`,
);
