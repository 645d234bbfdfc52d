// Image re-encoding on upload (sharp), alone: a phone-sized JPEG (and PNG) re-encoded the way prepare-files.ts does it,
// N at a time, while the event loop's delay is sampled, to show the work stays off the loop. Reports figures, asserts
// nothing.
//
//   npx tsx scripts/bench-images.ts [--width 4000] [--height 3000] [--count 24] [--concurrency 4]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { reencodeImage, type ImageMime } from '../server/modules/complaints/image-clean.ts';

const { values } = parseArgs({
  options: {
    width: { type: 'string', default: '4000' },
    height: { type: 'string', default: '3000' },
    count: { type: 'string', default: '24' },
    concurrency: { type: 'string', default: '4' },
  },
});
const [width, height, count, concurrency] = [values.width, values.height, values.count, values.concurrency].map(
  Number,
) as [number, number, number, number];
const dir = mkdtempSync(join(tmpdir(), 'bench-images-'));

// Noise compresses like a photo (badly), so the file is photo-sized rather than a few kilobytes.
const raw = Buffer.alloc(width * height * 3);
for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
const sources: Record<ImageMime, string> = {
  'image/jpeg': join(dir, 'in.jpg'),
  'image/png': join(dir, 'in.png'),
  'image/webp': join(dir, 'in.webp'),
};
const input = () => sharp(raw, { raw: { width, height, channels: 3 } }).withMetadata({ orientation: 6 });
writeFileSync(sources['image/jpeg'], await input().jpeg({ quality: 92 }).toBuffer());
writeFileSync(sources['image/png'], await input().png().toBuffer());
writeFileSync(sources['image/webp'], await input().webp().toBuffer());

for (const mime of Object.keys(sources) as ImageMime[]) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++)
        await reencodeImage(sources[mime], join(dir, `out-${i}`), mime, 40_000_000);
    }),
  );
  const ms = performance.now() - t0;
  loop.disable();
  console.log(
    `${mime}: ${count} × ${width}×${height} (${(statSync(sources[mime]).size / 1024 / 1024).toFixed(1)} MB) at ${concurrency} at a time: ` +
      `${ms.toFixed(0)} ms, ${((count / ms) * 1000).toFixed(1)} images/s; event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
  );
}
rmSync(dir, { recursive: true, force: true });
