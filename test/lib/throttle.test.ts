// A paced response stream: every byte passes, no faster than the rate, and closing it early closes its source.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { throttled } from '../../server/lib/throttle.ts';

const chunks = (n: number, size: number) => Array.from({ length: n }, (_, i) => Buffer.alloc(size, i));

describe('throttled', () => {
  it('passes every byte, in order, no faster than the rate', async () => {
    const source = Readable.from(chunks(5, 20_000)); // 100 kB at 100 kB/s: a second
    const started = performance.now();
    const got: Buffer[] = [];
    for await (const c of throttled(source, 100_000)) got.push(c as Buffer);
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(Buffer.concat(got).equals(Buffer.concat(chunks(5, 20_000)))).toBe(true);
  });

  it('is the source itself when unlimited', () => {
    const source = Readable.from(chunks(1, 10));
    expect(throttled(source, 0)).toBe(source);
  });

  it('closes the source when the paced stream is destroyed (a client that went away)', async () => {
    const source = Readable.from(chunks(100, 10_000));
    const paced = throttled(source, 10_000);
    paced.once('data', () => paced.destroy());
    await new Promise((resolve) => source.once('close', resolve));
    expect(source.destroyed).toBe(true);
  });
});
