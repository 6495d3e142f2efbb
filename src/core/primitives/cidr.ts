/**
 * IPv4/IPv6 CIDR containment, without node:net (src/core is pure). An address only belongs to networks of its own
 * family, as in the Rust `ipnet` containment Linkerd uses: `::/0` does not contain 10.0.0.1 and `0.0.0.0/0` does not
 * contain ::1 (linkerd-reference §3.3 lists both defaults for that reason).
 */

interface Address {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

/** Hextets of one side of a `::`; an embedded IPv4 tail counts as two. */
function hextets(text: string): bigint[] | undefined {
  if (text === '') return [];
  const out: bigint[] = [];
  const groups = text.split(':');
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (v4 === undefined) return undefined;
      out.push(v4 >> 16n, v4 & 0xffffn);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      out.push(BigInt(Number.parseInt(group, 16)));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  const address = text.split('%')[0] ?? ''; // drop a zone id
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = hextets(halves[0] ?? '');
  const tail = halves.length === 2 ? hextets(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return all.reduce((acc, h) => (acc << 16n) | h, 0n);
}

export function parseIp(text: string): Address | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { bits: 128, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { bits: 32, value };
}

/** `addr/len`, or a bare address (a host network). Host bits below the prefix are ignored. */
function parseCidr(cidr: string): { readonly base: Address; readonly prefix: number } | undefined {
  const [addr = '', len, ...rest] = cidr.trim().split('/');
  if (rest.length > 0) return undefined;
  const base = parseIp(addr);
  if (!base) return undefined;
  if (len === undefined) return { base, prefix: base.bits };
  if (!/^\d{1,3}$/.test(len) || Number(len) > base.bits) return undefined;
  return { base, prefix: Number(len) };
}

/** Is `ip` inside `cidr`? False for unparseable input or mixed families. */
export function inCidr(ip: string, cidr: string): boolean {
  const address = parseIp(ip);
  const network = parseCidr(cidr);
  if (!address || !network || address.bits !== network.base.bits) return false;
  const shift = BigInt(address.bits - network.prefix);
  return address.value >> shift === network.base.value >> shift;
}

export function isValidCidr(cidr: string): boolean {
  return parseCidr(cidr) !== undefined;
}

function formatAddress(address: Address): string {
  if (address.bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((address.value >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let i = 7n; i >= 0n; i--) groups.push(((address.value >> (i * 16n)) & 0xffffn).toString(16));
  return groups.join(':');
}

/**
 * An address inside `cidr` (the first host after the network address, or the address itself for a host network), for
 * request matrices that need a client in a range. Undefined for input that is not a CIDR.
 */
export function addressInside(cidr: string): string | undefined {
  const network = parseCidr(cidr);
  if (!network) return undefined;
  const { base, prefix } = network;
  const hostBits = BigInt(base.bits - prefix);
  const masked = (base.value >> hostBits) << hostBits;
  return formatAddress({ bits: base.bits, value: hostBits === 0n ? masked : masked + 1n });
}
