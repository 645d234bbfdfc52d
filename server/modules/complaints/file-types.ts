// What a file is, decided by its bytes; and the metadata (EXIF, GPS, text chunks) taken out of images before storage.
export type AttachmentMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffMime(buf: Buffer): AttachmentMime | null {
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (buf.length >= 5 && buf.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

export class MalformedFile extends Error {}

/** JPEG: drop APP1 (Exif/XMP, where GPS lives), APP13 (IPTC) and comments; keep JFIF, ICC colour profile and image data. */
function stripJpeg(buf: Buffer): Buffer {
  const parts: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw new MalformedFile('JPEG segment marker expected');
    const marker = buf[i + 1];
    if (marker === 0xff) { i += 1; continue; } // fill byte
    if (marker === 0xd9) { parts.push(buf.subarray(i, i + 2)); break; }
    if (marker !== undefined && marker >= 0xd0 && marker <= 0xd7) { parts.push(buf.subarray(i, i + 2)); i += 2; continue; }
    if (i + 4 > buf.length) throw new MalformedFile('truncated JPEG');
    const len = buf.readUInt16BE(i + 2);
    if (len < 2 || i + 2 + len > buf.length) throw new MalformedFile('bad JPEG segment length');
    if (marker === 0xda) { parts.push(buf.subarray(i)); break; } // start of scan: the rest is image data
    const drop = marker === 0xe1 || marker === 0xed || marker === 0xfe;
    if (!drop) parts.push(buf.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return Buffer.concat(parts);
}

const PNG_DROP = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function stripPng(buf: Buffer): Buffer {
  const parts: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  let sawEnd = false;
  while (i < buf.length) {
    if (i + 12 > buf.length) throw new MalformedFile('truncated PNG chunk');
    const len = buf.readUInt32BE(i);
    const type = buf.toString('latin1', i + 4, i + 8);
    const end = i + 12 + len;
    if (end > buf.length) throw new MalformedFile('bad PNG chunk length');
    if (!PNG_DROP.has(type)) parts.push(buf.subarray(i, end));
    i = end;
    if (type === 'IEND') { sawEnd = true; break; }
  }
  if (!sawEnd) throw new MalformedFile('PNG without IEND');
  return Buffer.concat(parts);
}

function stripWebp(buf: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let i = 12;
  const riffEnd = Math.min(buf.length, 8 + buf.readUInt32LE(4));
  while (i + 8 <= riffEnd) {
    const fourcc = buf.toString('latin1', i, i + 4);
    const size = buf.readUInt32LE(i + 4);
    const end = i + 8 + size + (size % 2);
    if (i + 8 + size > buf.length) throw new MalformedFile('bad WebP chunk length');
    if (fourcc !== 'EXIF' && fourcc !== 'XMP ') {
      const chunk = Buffer.from(buf.subarray(i, Math.min(end, buf.length)));
      if (fourcc === 'VP8X' && chunk.length > 8) chunk[8] = chunk[8]! & ~(0x08 | 0x04); // clear EXIF and XMP flags
      chunks.push(chunk);
    }
    i = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** PDFs are kept as given: they are never public, and rewriting them safely needs a full parser. */
export function stripMetadata(buf: Buffer, mime: AttachmentMime): Buffer {
  switch (mime) {
    case 'image/jpeg': return stripJpeg(buf);
    case 'image/png': return stripPng(buf);
    case 'image/webp': return stripWebp(buf);
    case 'application/pdf': return buf;
  }
}

/** A display name only: never a path. Directory parts, control characters and excess length go. */
export function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/^\.+/, '').trim();
  return [...base].slice(0, 100).join('') || '附件';
}
