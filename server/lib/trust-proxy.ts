// TRUST_PROXY: which peers may tell us the client's address (X-Forwarded-For). Off by default, because a client
// talking to us directly could otherwise pick any address it likes and so any rate-limit bucket.
import { BlockList, isIP } from 'node:net';

/** false, true (every peer), a hop count, or addresses/CIDRs (and the names loopback, linklocal, uniquelocal). */
export type TrustProxy = boolean | number | readonly string[];

// The names proxy-addr (Fastify's) understands, so a list means the same to Fastify and to the connection cap.
const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** The addresses as a BlockList; throws on anything that is not an address, a CIDR or a known name. */
function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED[e] ?? [e])) {
    const [address, prefixText, extra] = entry.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const bits = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (!/^\d+$/.test(prefixText ?? '0') || prefix > bits) throw new Error(`"${entry}" has a bad prefix length`);
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const text = (raw ?? '').trim();
  if (['', '0', 'off', 'false', 'no'].includes(text.toLowerCase())) return { value: false };
  if (['true', 'on', 'yes'].includes(text.toLowerCase())) return { value: true };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10
      ? { value: hops }
      : { problem: `TRUST_PROXY hop count must be between 1 and 10 (got "${raw}")` };
  }
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    addressList(entries);
  } catch (err) {
    return {
      problem: `TRUST_PROXY must be off, true, a hop count or a comma-separated list of addresses/CIDRs (got "${raw}": ${(err as Error).message})`,
    };
  }
  return { value: Object.freeze(entries) };
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
  const list = addressList(trust);
  return (address) => {
    const v4 = address.startsWith('::ffff:') ? address.slice(7) : null; // an IPv4 client on a dual-stack socket
    if (v4 && isIP(v4) === 4) return list.check(v4, 'ipv4');
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}
