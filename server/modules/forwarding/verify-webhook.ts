// A sample receiver's check, for providers (copy it; it needs only node:crypto). A request is accepted when its
// signature matches, its timestamp is within the tolerance, and its Idempotency-Key was not processed before.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ReplayStore {
  has(key: string): boolean;
  add(key: string): void;
  delete(key: string): void;
}

/** In-memory store; a real receiver keeps processed keys in its database (a unique index) so restarts remember them. */
export class MemoryReplayStore implements ReplayStore {
  private readonly keys = new Set<string>();
  has(key: string) {
    return this.keys.has(key);
  }
  add(key: string) {
    this.keys.add(key);
  }
  delete(key: string) {
    this.keys.delete(key);
  }
}

export type VerifyResult =
  | { ok: true; key: string; timestamp: number }
  | {
      ok: false;
      reason: 'missing_headers' | 'malformed_signature' | 'timestamp_out_of_range' | 'bad_signature' | 'replayed';
    };

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string) => {
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * headers: the request headers (node's lower-case object); rawBody: the exact bytes received, before any JSON
 * parsing; nowMs: the receiver's clock. On ok the key is remembered, so the same delivery is never processed twice:
 * a 'replayed' result should be answered 2xx (it was done already) but not processed again. If processing then fails,
 * forget the key (store.delete) and answer 5xx, so the platform's retry is processed.
 */
export function verifyWebhook(opts: {
  secret: string;
  headers: Headers;
  rawBody: string | Buffer;
  store: ReplayStore;
  nowMs?: number;
  toleranceSec?: number;
}): VerifyResult {
  const sig = header(opts.headers, 'x-complaint-signature');
  const tsHeader = header(opts.headers, 'x-complaint-timestamp');
  const key = header(opts.headers, 'idempotency-key');
  if (!sig || !tsHeader || !key) return { ok: false, reason: 'missing_headers' };
  const parts = new Map<string, string[]>();
  for (const item of sig.split(',')) {
    const [k, v] = item.split('=', 2).map((s) => s.trim());
    if (k && v) parts.set(k, [...(parts.get(k) ?? []), v]);
  }
  const t = Number(parts.get('t')?.[0]);
  const candidates = (parts.get('v1') ?? []).filter((v) => /^[0-9a-f]{64}$/.test(v));
  if (!Number.isInteger(t) || String(t) !== tsHeader || candidates.length === 0)
    return { ok: false, reason: 'malformed_signature' };
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) return { ok: false, reason: 'timestamp_out_of_range' };
  const body = typeof opts.rawBody === 'string' ? Buffer.from(opts.rawBody, 'utf8') : opts.rawBody;
  const expected = createHmac('sha256', opts.secret).update(`${t}.`).update(body).digest();
  // Constant-time: compare every candidate (several v1 values appear while a secret is rotated) without early exit.
  let match = false;
  for (const c of candidates) match = timingSafeEqual(Buffer.from(c, 'hex'), expected) || match;
  if (!match) return { ok: false, reason: 'bad_signature' };
  if (opts.store.has(key)) return { ok: false, reason: 'replayed' };
  opts.store.add(key);
  return { ok: true, key, timestamp: t };
}
