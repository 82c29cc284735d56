import { BlockList, isIP } from 'node:net';

/** A compiled address or CIDR block test (`10.0.0.0/8`, `192.168.1.7`, `fd00::/8`). */
export type IpMatcher = (address: string | undefined) => boolean;

/** Compiles `spec`; returns a reason string when it is not an address or CIDR block. */
export function compileIpMatcher(spec: string): IpMatcher | string {
  const [addr, bits, extra] = spec.split('/');
  const family = isIP(addr ?? '');
  if (family === 0 || extra !== undefined) return 'expected an IP address or CIDR block';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (bits === undefined) {
    list.addAddress(addr!, type);
  } else {
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
      return 'CIDR prefix length out of range';
    list.addSubnet(addr!, prefix, type);
  }
  return (address) => {
    if (address === undefined) return false;
    const plain = unmapIpv4(address);
    const f = isIP(plain);
    return f !== 0 && list.check(plain, f === 4 ? 'ipv4' : 'ipv6');
  };
}

/** Dual-stack sockets report IPv4 peers as `::ffff:a.b.c.d`; rules are written for `a.b.c.d`. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
