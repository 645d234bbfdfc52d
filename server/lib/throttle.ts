// A byte-rate limit on one response stream (what nginx calls limit_rate): each chunk passes once the bytes before it
// have had their time at the given rate. A client pulling a large file over a fast link then gets a steady rate and
// no more, and the event loop spends on it a bounded share of its turns.
import { pipeline, type Readable, Transform } from 'node:stream';

/** The source's bytes at most `bytesPerSecond` (0: unlimited); destroying the result destroys the source too. */
export function throttled(source: Readable, bytesPerSecond: number): Readable {
  if (bytesPerSecond <= 0) return source;
  let due = performance.now();
  const gate = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const now = performance.now();
      due = Math.max(due, now) + (chunk.length / bytesPerSecond) * 1000;
      const wait = due - now;
      if (wait < 1) callback(null, chunk);
      else setTimeout(() => callback(null, chunk), wait);
    },
  });
  // pipeline: an error or an early close on either side ends both (no file descriptor left open).
  return pipeline(source, gate, () => {});
}
