// Images are decoded and encoded again by sharp, so nothing of the received file survives but its pixels: EXIF (GPS,
// camera, owner), XMP, IPTC, comments, text chunks and whatever was hidden after the image data. The EXIF orientation
// is applied first, so a phone photo still stands upright once its tag is gone. libvips does the work on libuv's
// thread pool; the event loop only awaits.
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { heavyJob } from '../../lib/thread-pool.ts';
import type { AttachmentMime } from './file-types.ts';

export type ImageMime = Exclude<AttachmentMime, 'application/pdf'>;

/** Its header claims more pixels than we agree to decode: a 20000×20000 PNG can be a few kilobytes on the wire. */
export class ImageTooLarge extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super(`image of ${width}×${height} pixels`);
  }
}
export class UnreadableImage extends Error {}

const ENCODE: Record<ImageMime, (s: Sharp) => Sharp> = {
  'image/jpeg': (s) => s.jpeg({ quality: 90 }),
  'image/png': (s) => s.png(),
  'image/webp': (s) => s.webp({ quality: 90 }),
};

/**
 * Writes the re-encoded image to dest, in the format it came in. Through the thread pool's gate (thread-pool.ts): a
 * burst of uploads must not hold every thread the disk work needs.
 */
export function reencodeImage(src: string, dest: string, mime: ImageMime, maxPixels: number): Promise<void> {
  return heavyJob(() => reencode(src, dest, mime, maxPixels));
}

async function reencode(src: string, dest: string, mime: ImageMime, maxPixels: number): Promise<void> {
  // failOn 'error': a photo with a recoverable glitch is still evidence; only what cannot be decoded is refused.
  const options: SharpOptions = { limitInputPixels: maxPixels, failOn: 'error' };
  let meta: Metadata;
  try {
    // The header alone: reading it decodes no pixels, so the cap is checked here by hand, with a size to report.
    meta = await sharp(src, { ...options, limitInputPixels: false }).metadata();
  } catch (err) {
    throw new UnreadableImage(String(err));
  }
  const pages = meta.pages ?? 1;
  const height = meta.pageHeight ?? meta.height;
  // limitInputPixels below stays as the guard on the decode itself.
  if (meta.width * height * pages > maxPixels) throw new ImageTooLarge(meta.width, height);
  // An animated WebP keeps its frames; rotation applies to still images only (an animation has no EXIF orientation).
  const animated = mime === 'image/webp' && pages > 1;
  const image = sharp(src, { ...options, animated });
  try {
    await ENCODE[mime](animated ? image : image.rotate()).toFile(dest);
  } catch (err) {
    if (/pixel limit/i.test(String(err))) throw new ImageTooLarge(meta.width, height);
    throw new UnreadableImage(String(err));
  }
}
