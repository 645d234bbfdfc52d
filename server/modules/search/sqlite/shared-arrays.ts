// Typed arrays on shared memory, for what the similar-cases thread reads in place (similar-scorer.ts): the column
// store's packed words and filing times, and every cached doclist. A thread given one of these reads the very same
// memory, no copy; the request thread keeps writing past the lengths it handed over (new cases), never under them.

export const sharedInt32 = (length: number): Int32Array =>
  new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
export const sharedUint32 = (length: number): Uint32Array =>
  new Uint32Array(new SharedArrayBuffer(length * Uint32Array.BYTES_PER_ELEMENT));
export const sharedUint8 = (length: number): Uint8Array => new Uint8Array(new SharedArrayBuffer(length));
export const sharedFloat64 = (length: number): Float64Array =>
  new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));

/** Whether a thread can read this array in place. */
export const isShared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;
