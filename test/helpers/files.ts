// Real file bytes for upload tests: a valid PNG (with text and EXIF chunks), a JPEG photo with EXIF/GPS, a PDF, a
// PNG too large to decode.
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** A real w×h RGB PNG; with metadata it also carries tEXt (author) and eXIf (GPS) chunks. */
export function png(
  opts: { w?: number; h?: number; metadata?: boolean; color?: [number, number, number] } = {},
): Buffer {
  const w = opts.w ?? 4;
  const h = opts.h ?? 4;
  const [r, g, b] = opts.color ?? [200, 40, 40];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([r, g, b], y * (w * 3 + 1) + 1 + x * 3);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (opts.metadata) {
    parts.push(chunk('tEXt', Buffer.from('Author\0Zhang San 13812345678', 'latin1')));
    parts.push(chunk('eXIf', Buffer.from('MM\0*GPSLatitude 39.9042 GPSLongitude 116.4074', 'latin1')));
  }
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export const pdf = () =>
  Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );

/** A Windows executable's first bytes, to be renamed .png by an attacker. */
export const exe = () => Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'), Buffer.alloc(200, 0x41)]);

/**
 * A valid PNG of w×h pixels that is small on disk: 1-bit grayscale, all white, so every row deflates to almost nothing
 * (20000×20000 is about 50 MB of raw rows and some 50 KB of file). A decompression bomb for anything that decodes it.
 */
export function blankPng(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 1;
  ihdr[9] = 0;
  const raw = Buffer.alloc((Math.ceil(w / 8) + 1) * h, 0xff);
  for (let y = 0; y < h; y++) raw[y * (Math.ceil(w / 8) + 1)] = 0; // filter type None
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A real JPEG photo (left half red, right half blue, 40×20 as stored) whose EXIF carries the owner's name, a GPS
 * position and orientation 6 (turn 90° clockwise to view): displayed upright it is 20 wide and 40 tall.
 */
export async function photoWithExif(): Promise<Buffer> {
  const w = 40;
  const h = 20;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) raw.set(x < w / 2 ? [220, 20, 20] : [20, 20, 220], (y * w + x) * 3);
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .withExif({
      IFD0: { Make: 'Phone', Artist: 'Zhang San' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 15/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 24/1 27/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}
