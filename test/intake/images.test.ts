// Images are decoded and encoded again (sharp) and typed by their content (file-type): a decompression bomb is refused
// from its header, a photo loses its EXIF (GPS included) and is turned upright, a renamed non-image is refused, and
// a PDF is kept byte for byte.
import { deflateRawSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { blankPng, pdf, photoWithExif, png } from '../helpers/files.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});
const start = async (overrides: Partial<Config> = {}) => {
  t = await makeApp(overrides);
};
const asFields = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
const count = (table: string) => (t.app.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** A one-entry ZIP archive (stored, not compressed). */
function zip(name: string, body: Buffer): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc32(body) >>> 0, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(body.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc32(body) >>> 0, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(body.length, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + body.length, 16);
  return Buffer.concat([local, n, body, central, n, end]);
}

async function upload(files: { filename: string; data: Buffer; type?: string }[]) {
  const c = await consumer(t.app);
  const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), files);
  return { c, res };
}

describe('image uploads', () => {
  it('refuses a 20000×20000 PNG that is small on disk, naming the file and the size, before storing anything', async () => {
    const bomb = blankPng(20000, 20000); // before the app starts: building it blocks the event loop, which reads as overload
    await start();
    expect(bomb.length).toBeLessThan(200 * 1024);
    const { res } = await upload([
      { filename: 'ok.png', data: png() },
      { filename: '炸弹.png', data: bomb },
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'IMAGE_TOO_LARGE', field: 'attachments' });
    expect(res.json().error.message).toBe(
      '附件「炸弹.png」图片尺寸过大（20000×20000 像素），每张图片最多 4000 万 像素',
    );
    expect(count('attachments')).toBe(0);
    expect(count('complaints')).toBe(0);
  });

  it('takes the pixel cap from UPLOAD_MAX_PIXELS', async () => {
    await start({ uploadMaxPixels: 15 });
    const refused = await upload([{ filename: 'a.png', data: png({ w: 4, h: 4 }) }]);
    expect(refused.res.statusCode).toBe(413);
    expect(refused.res.json().error.message).toContain('（4×4 像素），每张图片最多 15 像素');
    const accepted = await upload([{ filename: 'b.png', data: png({ w: 5, h: 3 }) }]);
    expect(accepted.res.statusCode).toBe(201);
  });

  it('stores a phone photo without its EXIF (owner, GPS) and turned upright', async () => {
    await start();
    const photo = await photoWithExif();
    const before = await sharp(photo).metadata();
    expect([before.width, before.height, before.orientation, before.exif?.toString('latin1')]).toEqual([
      40,
      20,
      6,
      expect.stringContaining('Zhang San'),
    ]);
    const { c, res } = await upload([{ filename: 'photo.jpg', data: photo }]);
    expect(res.statusCode).toBe(201);
    const view = (await c.get(`/api/v1/complaints/${res.json().id}`)).json();
    expect(view.attachments[0].mime).toBe('image/jpeg');
    const stored = (await c.get(view.attachments[0].url)).rawPayload;
    const after = await sharp(stored).metadata();
    expect([after.format, after.width, after.height, after.orientation, after.exif, after.xmp, after.iptc]).toEqual([
      'jpeg',
      20,
      40,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(stored.toString('latin1')).not.toMatch(/Exif|Zhang San|Phone/);
    // Turned 90° clockwise: the left (red) half of the stored pixels is now the top.
    const { data, info } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    const [top, bottom] = [at(10, 5), at(10, 35)];
    expect(top[0]! > 150 && top[2]! < 100).toBe(true);
    expect(bottom[2]! > 150 && bottom[0]! < 100).toBe(true);
  });

  it.each([
    ['an HTML page', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')],
    ['a ZIP archive', zip('a.txt', Buffer.from('hello'))],
    ['raw deflate', deflateRawSync(Buffer.alloc(1000))],
  ])('refuses %s renamed .jpg, whatever the declared type', async (_, data) => {
    await start();
    const { res } = await upload([{ filename: 'photo.jpg', data, type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'UNSUPPORTED_FILE', field: 'attachments' });
    expect(res.json().error.message).toContain('「photo.jpg」不是支持的格式');
    expect(count('attachments')).toBe(0);
  });

  it('keeps a PDF byte for byte, and types files by content whatever their name', async () => {
    await start();
    const { c, res } = await upload([
      { filename: '账单.jpg', data: pdf() },
      { filename: 'shot.pdf', data: png() },
    ]);
    expect(res.statusCode).toBe(201);
    const view = (await c.get(`/api/v1/complaints/${res.json().id}`)).json();
    expect(view.attachments.map((a: { mime: string }) => a.mime)).toEqual(['application/pdf', 'image/png']);
    expect((await c.get(view.attachments[0].url)).rawPayload).toEqual(pdf());
  });
});
