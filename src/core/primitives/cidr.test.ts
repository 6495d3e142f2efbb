import { describe, expect, it } from 'vitest';
import { inCidr, isValidCidr, parseIp } from './cidr.ts';

describe('inCidr', () => {
  it.each([
    ['10.1.0.10', '10.0.0.0/8', true],
    ['11.1.0.10', '10.0.0.0/8', false],
    ['100.64.0.1', '100.64.0.0/10', true],
    ['100.128.0.1', '100.64.0.0/10', false],
    ['172.31.255.255', '172.16.0.0/12', true],
    ['172.32.0.0', '172.16.0.0/12', false],
    ['10.240.0.4', '0.0.0.0/0', true],
    ['10.240.0.4', '10.240.0.4', true],
    ['10.240.0.5', '10.240.0.4/32', false],
    ['10.1.2.3', '10.1.2.99/24', true],
    ['fd00::1', 'fd00::/8', true],
    ['fe80::1', 'fd00::/8', false],
    ['2001:db8::ff', '2001:db8::/32', true],
    ['::1', '::/0', true],
    ['::ffff:10.0.0.1', '::ffff:0:0/96', true],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128', true],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(inCidr(ip, cidr)).toBe(expected);
  });

  it('keeps address families apart', () => {
    expect(inCidr('10.0.0.1', '::/0')).toBe(false);
    expect(inCidr('::1', '0.0.0.0/0')).toBe(false);
  });

  it('is false for malformed input', () => {
    expect(inCidr('10.0.0.256', '0.0.0.0/0')).toBe(false);
    expect(inCidr('10.0.0.1', '10.0.0.0/33')).toBe(false);
    expect(inCidr('1::2::3', '::/0')).toBe(false);
    expect(inCidr('10.0.0.1', 'nonsense')).toBe(false);
    expect(isValidCidr('10.0.0.0/8')).toBe(true);
    expect(isValidCidr('1:2:3:4:5:6:7:8:9/64')).toBe(false);
  });

  it('parses compressed IPv6', () => {
    expect(parseIp('::')).toEqual({ bits: 128, value: 0n });
    expect(parseIp('1::')?.value).toBe(1n << 112n);
  });
});
