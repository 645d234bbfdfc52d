// The Standard Webhooks headers beside the platform's own: a verifier written from the specification
// (standardwebhooks.com, "Verifying webhooks") accepts a real delivery, and rejects a changed body, a wrong secret,
// a stale timestamp and a replayed id's changed signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { forwarded, HOUR, providerWith } from './setup.ts';
import { webhookReceiver, type WebhookReceiver } from './receivers.ts';

const SECRET = 'whsec_0123456789abcdef';
let t: TestApp;
let rx: WebhookReceiver;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
  await rx?.close();
});

/**
 * From the spec: the signed content is `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with the key that is
 * the base64 part of a `whsec_` secret; webhook-signature is a space-separated list of `v1,<base64>`; timestamps more
 * than 5 minutes from now are refused.
 */
function specVerify(
  whsecSecret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSec: number,
): boolean {
  const get = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = get('webhook-id');
  const ts = get('webhook-timestamp');
  const sigs = get('webhook-signature');
  if (!id || !ts || !sigs || !/^\d+$/.test(ts)) return false;
  if (Math.abs(nowSec - Number(ts)) > 5 * 60) return false;
  const key = Buffer.from(whsecSecret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return sigs.split(' ').some((s) => {
    const [version, sig] = s.split(',', 2);
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('Standard Webhooks headers', () => {
  it('carry an id that is the idempotency key, the timestamp, and a v1 signature a spec verifier accepts', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    await forwarded(t.app, p.slug);
    await t.app.outbox.drain();
    const req = rx.requests[0]!;
    expect(req.verdict.ok).toBe(true); // the platform's own headers still verify
    const now = Math.floor(t.clock.now() / 1000);
    expect(req.headers['webhook-id']).toBe(req.headers['idempotency-key']);
    expect(req.headers['webhook-timestamp']).toBe(String(now));
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    const stock = `whsec_${Buffer.from(SECRET).toString('base64')}`;
    expect(specVerify(stock, req.headers, req.rawBody, now)).toBe(true);
    expect(
      specVerify(stock, req.headers, req.rawBody.replace('"complaint.forwarded"', '"complaint.forwardeD"'), now),
    ).toBe(false);
    expect(specVerify(`whsec_${Buffer.from('another secret').toString('base64')}`, req.headers, req.rawBody, now)).toBe(
      false,
    );
    expect(specVerify(stock, req.headers, req.rawBody, now + 6 * 60)).toBe(false);
    expect(specVerify(stock, { ...req.headers, 'webhook-id': 'delivery:999:webhook' }, req.rawBody, now)).toBe(false);
  });

  it('keeps the id and signs again with the new timestamp on a retry', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    rx.behaviour = (n) => (n === 1 ? '503' : 'ok');
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    await forwarded(t.app, p.slug);
    await t.app.outbox.drain();
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(rx.requests).toHaveLength(2);
    const [first, second] = rx.requests as [(typeof rx.requests)[0], (typeof rx.requests)[0]];
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(Number(second.headers['webhook-timestamp']) - Number(first.headers['webhook-timestamp'])).toBe(3600);
    const stock = `whsec_${Buffer.from(SECRET).toString('base64')}`;
    expect(specVerify(stock, second.headers, second.rawBody, Math.floor(t.clock.now() / 1000))).toBe(true);
  });
});
