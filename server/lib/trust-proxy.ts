// TRUST_PROXY: which peers may tell us the client's address (X-Forwarded-For). Off by default, because a client
// talking to us directly could otherwise pick any address it likes and so any rate-limit bucket.
import proxyAddr from '@fastify/proxy-addr';

/** Fastify's trustProxy: false, true (every peer), a hop count, or addresses/CIDRs (and loopback/linklocal/uniquelocal). */
export type TrustProxy = boolean | number | readonly string[];

export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const text = (raw ?? '').trim();
  if (['', '0', 'off', 'false', 'no'].includes(text.toLowerCase())) return { value: false };
  if (['true', 'on', 'yes'].includes(text.toLowerCase())) return { value: true };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10 ? { value: hops } : { problem: `TRUST_PROXY hop count must be between 1 and 10 (got "${raw}")` };
  }
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    proxyAddr.compile(list);
  } catch (err) {
    return { problem: `TRUST_PROXY must be off, true, a hop count or a comma-separated list of addresses/CIDRs (got "${raw}": ${(err as Error).message})` };
  }
  return { value: Object.freeze(list) };
}

/**
 * The value for Fastify's trustProxy. Fastify 5.12 treats a bare hop count as "trust nobody" (a direct client could
 * claim any number of hops), so a count becomes the classic function: the peer and the next hops-1 addresses are
 * proxies, and the address before them is the client. Like `true`, it is only safe when the port is reachable
 * through the proxy alone.
 */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

/**
 * Whether a socket peer is a trusted proxy. Only an explicit address list names proxies; `true` and hop counts say how
 * far to trust the header, not who the proxy is, so no peer is exempt from per-address limits under them.
 */
export function trustedPeer(trust: TrustProxy): (address: string) => boolean {
  if (!Array.isArray(trust) || trust.length === 0) return () => false;
  const fn = proxyAddr.compile([...trust]);
  return (address) => fn(address, 0);
}
