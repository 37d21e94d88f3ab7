import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './webhooks.urls.js';
import { signatureHeader, verifySignature } from './webhooks.signing.js';

describe('which addresses a webhook may not reach', () => {
  it('refuses loopback, private, shared, link-local, unspecified and multicast IPv4', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '224.0.0.1', '255.255.255.255', '198.18.0.1', '198.19.255.254', '192.0.0.8']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it('allows public IPv4, including the neighbours of private ranges', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '192.167.1.1', '169.253.1.1', '11.0.0.1', '203.0.113.10', '198.17.255.255', '198.20.0.1', '192.0.1.1']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('refuses loopback, unique-local, link-local and IPv4-in-IPv6 forms of private addresses', () => {
    for (const a of ['::1', '::', '0:0:0:0:0:0:0:1', 'fc00::1', 'fd12:3456:789a::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::127.0.0.1', '64:ff9b::10.0.0.1', '2002:c0a8:0101::1', '::ffff:0:127.0.0.1', '::ffff:0:a00:1', '64:ff9b:1::8.8.8.8', '64:ff9b:1:ab::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it('allows public IPv6, and IPv4-in-IPv6 forms of public addresses', () => {
    for (const a of ['2001:4860:4860::8888', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1', '2a00::1', '::ffff:0:8.8.8.8', '2001:db8::1', '2001:4860::1']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('treats text that is no address as no private address (names are resolved first)', () => {
    expect(isPrivateAddress('example.com')).toBe(false);
    expect(isPrivateAddress('1.2.3')).toBe(false);
  });
});

describe('the Parley-Signature header', () => {
  it('verifies against the raw body and secret, and refuses stale timestamps and altered bodies', () => {
    const now = Date.now();
    const t = Math.floor(now / 1000);
    const header = signatureHeader('whsec_abc', t, '{"id":1}');
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_abc', header, '{"id":1}', { now })).toBe(true);
    expect(verifySignature('whsec_abc', header, '{"id":2}', { now })).toBe(false);
    expect(verifySignature('whsec_other', header, '{"id":1}', { now })).toBe(false);
    expect(verifySignature('whsec_abc', header, '{"id":1}', { now: now + 600_000 })).toBe(false);
    expect(verifySignature('whsec_abc', 'garbage', '{"id":1}', { now })).toBe(false);
  });
});
