// Real file bytes for upload tests: a valid PNG (with text and EXIF chunks), a JPEG with an EXIF/GPS segment, a PDF.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** A real w×h RGB PNG; with metadata it also carries tEXt (author) and eXIf (GPS) chunks. */
export function png(opts: { w?: number; h?: number; metadata?: boolean; color?: [number, number, number] } = {}): Buffer {
  const w = opts.w ?? 4; const h = opts.h ?? 4; const [r, g, b] = opts.color ?? [200, 40, 40];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
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

const seg = (marker: number, data: Buffer) => {
  const head = Buffer.alloc(4); head[0] = 0xff; head[1] = marker; head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
};

/** JPEG structure with JFIF, an EXIF segment holding GPS text, a comment, tables and scan data. */
export function jpegWithExif(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, Buffer.from('Exif\0\0MM\0*GPSLatitude=39.9042;GPSLongitude=116.4074;Camera=Phone', 'latin1')),
    seg(0xfe, Buffer.from('comment by Zhang San', 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0x00, 0x78, 0xff, 0xd9]),
  ]);
}

export const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** A Windows executable's first bytes, to be renamed .png by an attacker. */
export const exe = () => Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'), Buffer.alloc(200, 0x41)]);
