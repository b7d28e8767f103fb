// Addresses for the metrics listener: "HOST:PORT" to listen on, and the source-address allowlist: CIDRs (IPv4 and IPv6) parsed once at start-up
// and matched with node's BlockList. An IPv4 client reaching a dual-stack socket shows up as
// "::ffff:10.1.2.3"; it is matched against the IPv4 entries, as the administrator wrote them.
import net from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses "10.0.0.0/8", "fd00::/8" or a bare address (a /32 or /128); undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const address = m[1]!;
  const v = net.isIP(address);
  if (v === 0) return undefined;
  const family = v === 4 ? 'ipv4' : 'ipv6';
  const max = v === 4 ? 32 : 128;
  const prefix = m[2] === undefined ? max : Number(m[2]);
  if (prefix > max) return undefined;
  return { address, prefix, family };
}

/** "::ffff:10.1.2.3" → "10.1.2.3"; other addresses unchanged. */
export function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m ? m[1]! : address;
}

export class Allowlist {
  private readonly list = new net.BlockList();

  constructor(readonly entries: readonly string[]) {
    for (const e of entries) {
      const c = parseCidr(e);
      if (!c) throw new Error(`[metrics] "${e}" is not an address or CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
      this.list.addSubnet(c.address, c.prefix, c.family);
    }
  }

  /** True when the peer address is inside one of the entries. An unknown address is refused. */
  allows(remote: string | undefined): boolean {
    if (!remote) return false;
    const a = unmapIpv4(remote);
    const v = net.isIP(a);
    if (v === 0) return false;
    return this.list.check(a, v === 4 ? 'ipv4' : 'ipv6');
  }
}

/** "0.0.0.0:9464", "[::]:9464", "127.0.0.1:0" → host and port; undefined when malformed. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  if (m[1] !== undefined && net.isIP(host) !== 6) return undefined;
  return { host, port };
}
