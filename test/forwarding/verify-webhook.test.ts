// The sample receiver check from the README: a genuine request passes once; a replay, a tampered body, a forged or
// stale signature are rejected.
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../../server/modules/forwarding/webhook-sender.ts';
import { MemoryReplayStore, verifyWebhook } from '../../server/modules/forwarding/verify-webhook.ts';

const SECRET = 'whsec_0123456789abcdef';
const NOW = Date.UTC(2026, 10, 2, 2, 0, 0);
const body = JSON.stringify({ event: 'complaint.forwarded', reference: 'TS20261102-000001', amountFen: 56978 });

function request(opts: { secret?: string; t?: number; rawBody?: string; key?: string } = {}) {
  const t = opts.t ?? Math.floor(NOW / 1000);
  return {
    headers: {
      'x-complaint-signature': signatureHeader(opts.secret ?? SECRET, t, opts.rawBody ?? body),
      'x-complaint-timestamp': String(t),
      'idempotency-key': opts.key ?? 'delivery:1:webhook',
    },
    rawBody: body,
  };
}

describe('verifyWebhook (sample receiver)', () => {
  it('accepts a genuine request, then rejects the same request replayed', () => {
    const store = new MemoryReplayStore();
    const r = request();
    expect(verifyWebhook({ secret: SECRET, ...r, store, nowMs: NOW })).toEqual({
      ok: true,
      key: 'delivery:1:webhook',
      timestamp: Math.floor(NOW / 1000),
    });
    expect(verifyWebhook({ secret: SECRET, ...r, store, nowMs: NOW + 1000 })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('accepts a raw Buffer body', () => {
    const r = request();
    expect(
      verifyWebhook({
        secret: SECRET,
        headers: r.headers,
        rawBody: Buffer.from(body),
        store: new MemoryReplayStore(),
        nowMs: NOW,
      }).ok,
    ).toBe(true);
  });

  it('rejects a tampered body', () => {
    const r = request();
    const tampered = body.replace('56978', '99999');
    expect(
      verifyWebhook({
        secret: SECRET,
        headers: r.headers,
        rawBody: tampered,
        store: new MemoryReplayStore(),
        nowMs: NOW,
      }),
    ).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a signature made with another secret', () => {
    const r = request({ secret: 'someone-elses-secret-123' });
    expect(verifyWebhook({ secret: SECRET, ...r, store: new MemoryReplayStore(), nowMs: NOW })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a timestamp header that does not match the signed one', () => {
    const r = request();
    const headers = { ...r.headers, 'x-complaint-timestamp': String(Math.floor(NOW / 1000) + 1) };
    expect(
      verifyWebhook({ secret: SECRET, headers, rawBody: r.rawBody, store: new MemoryReplayStore(), nowMs: NOW }),
    ).toEqual({ ok: false, reason: 'malformed_signature' });
  });

  it('rejects a request older (or newer) than 5 minutes, even when correctly signed', () => {
    const t = Math.floor(NOW / 1000) - 301;
    const r = request({ t });
    expect(verifyWebhook({ secret: SECRET, ...r, store: new MemoryReplayStore(), nowMs: NOW })).toEqual({
      ok: false,
      reason: 'timestamp_out_of_range',
    });
    const inside = request({ t: Math.floor(NOW / 1000) - 299 });
    expect(verifyWebhook({ secret: SECRET, ...inside, store: new MemoryReplayStore(), nowMs: NOW }).ok).toBe(true);
  });

  it('rejects missing headers and malformed signatures', () => {
    const store = new MemoryReplayStore();
    expect(verifyWebhook({ secret: SECRET, headers: {}, rawBody: body, store, nowMs: NOW })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    const r = request();
    for (const sig of ['garbage', 't=abc,v1=00', `t=${Math.floor(NOW / 1000)},v1=zz`, `t=${Math.floor(NOW / 1000)}`]) {
      expect(
        verifyWebhook({
          secret: SECRET,
          headers: { ...r.headers, 'x-complaint-signature': sig },
          rawBody: body,
          store,
          nowMs: NOW,
        }),
      ).toEqual({ ok: false, reason: 'malformed_signature' });
    }
  });

  it('accepts either of two signatures while a secret is rotated', () => {
    const t = Math.floor(NOW / 1000);
    const old = signatureHeader('old-secret-0123456789', t, body).split(',')[1];
    const headers = {
      'x-complaint-signature': `t=${t},${old},${signatureHeader(SECRET, t, body).split(',')[1]}`,
      'x-complaint-timestamp': String(t),
      'idempotency-key': 'k',
    };
    expect(
      verifyWebhook({ secret: SECRET, headers, rawBody: body, store: new MemoryReplayStore(), nowMs: NOW }).ok,
    ).toBe(true);
  });
});
