// Behind a proxy every request comes from the proxy's address: TRUST_PROXY lets X-Forwarded-For name the client, so
// rate limits fall on each client and not on the whole site; without it the header is ignored (anyone can send it).
import { afterEach, describe, expect, it } from 'vitest';
import { trustedPeer, type TrustProxy } from '../../server/lib/trust-proxy.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

// Login allows 10 a minute per client; the limit is checked before the CSRF token, so no session is needed.
const login = (forwardedFor: string, remoteAddress = '127.0.0.1') =>
  t!.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    payload: '{}',
  });

async function exhaust(client: string, remoteAddress?: string) {
  for (let i = 0; i < 10; i++) expect((await login(client, remoteAddress)).statusCode).not.toBe(429);
  expect((await login(client, remoteAddress)).statusCode).toBe(429);
}

describe('TRUST_PROXY', () => {
  it.each<[string, TrustProxy]>([
    ['true', true],
    ['a hop count', 1],
    ['the proxy address', ['127.0.0.1']],
    ['a CIDR', ['127.0.0.0/8']],
  ])('trusted (%s): two forwarded clients get separate rate-limit buckets', async (_name, trustProxy) => {
    t = await makeApp({ rateLimits: true, trustProxy });
    await exhaust('203.0.113.7');
    expect((await login('198.51.100.23')).statusCode).not.toBe(429);
  });

  it('off (the default): the header is ignored and both share the socket address bucket', async () => {
    t = await makeApp({ rateLimits: true });
    await exhaust('203.0.113.7');
    expect((await login('198.51.100.23')).statusCode).toBe(429);
  });

  it('a peer outside the trusted list cannot choose its bucket with the header', async () => {
    t = await makeApp({ rateLimits: true, trustProxy: ['10.0.0.1'] });
    await exhaust('203.0.113.7', '192.0.2.50');
    expect((await login('198.51.100.23', '192.0.2.50')).statusCode).toBe(429);
  });
});

describe('proxy addresses exempt from the per-address connection cap', () => {
  it('are the listed addresses and CIDRs only, IPv4 clients of a dual-stack socket included', () => {
    const peer = trustedPeer(['10.0.0.0/8', 'loopback']);
    expect(['10.1.2.3', '::ffff:10.1.2.3', '127.0.0.1', '::1'].map(peer)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '::ffff:192.0.2.1', 'fe80::1', ''].map(peer)).toEqual([false, false, false, false]);
    expect(trustedPeer(true)('10.1.2.3')).toBe(false); // `true` and hop counts name no proxy
    expect(trustedPeer(1)('127.0.0.1')).toBe(false);
  });
});
