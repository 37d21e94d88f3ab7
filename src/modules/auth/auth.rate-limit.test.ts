import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './auth.rate-limit.js';
import { csrfMatches, readCookie, sessionCookie } from './auth.sessions.js';

describe('the sliding-window limiter', () => {
  it('allows `limit` failures in the window, then says how long to wait until the oldest one ages out', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('k')).toBe(0);
      limiter.fail('k');
      now += 10_000;
    }
    // Failures at 0s, 10s, 20s; now is 30s: the first ages out at 60s.
    expect(limiter.retryAfter('k')).toBe(30);
    expect(limiter.retryAfter('other')).toBe(0);
    now += 30_001;
    expect(limiter.retryAfter('k')).toBe(0);
    limiter.fail('k');
    expect(limiter.retryAfter('k')).toBe(10);
    limiter.reset('k');
    expect(limiter.retryAfter('k')).toBe(0);
  });

  it('counts reserved attempts until they are released, so parallel attempts cannot pass the limit together', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect(limiter.reserve('k')).toBe(0);
    expect(limiter.reserve('k')).toBe(0);
    // The first attempt failed: released, then counted as a failure.
    limiter.release('k');
    limiter.fail('k');
    now += 10_000;
    expect(limiter.reserve('k')).toBe(0);
    // One failure and two attempts under way fill the limit; the failure ages out at 60s.
    expect(limiter.reserve('k')).toBe(50);
    // A success forgets the failures, not the attempts still under way.
    limiter.reset('k');
    expect(limiter.reserve('k')).toBe(0);
    // Three under way: they end within moments.
    expect(limiter.reserve('k')).toBe(1);
    limiter.release('k');
    limiter.release('k');
    limiter.release('k');
    expect(limiter.retryAfter('k')).toBe(0);
  });

  it('forgets the oldest keys beyond maxKeys', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    limiter.fail('a');
    limiter.fail('b');
    limiter.fail('c');
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.retryAfter('c')).toBeGreaterThan(0);
  });
});

describe('session cookies', () => {
  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; parley_session=tok; b=2', 'parley_session')).toBe('tok');
    expect(readCookie('parley_session="tok"', 'parley_session')).toBe('tok');
    expect(readCookie('xparley_session=tok', 'parley_session')).toBeUndefined();
    expect(readCookie(undefined, 'parley_session')).toBeUndefined();
  });

  it('marks the cookie Secure only when asked (served over https)', () => {
    expect(sessionCookie('t', { secure: true, maxAgeSeconds: 60 })).toBe('parley_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(sessionCookie('t', { secure: false, maxAgeSeconds: 60 })).not.toContain('Secure');
  });

  it('compares CSRF tokens exactly', () => {
    expect(csrfMatches('abc', 'abc')).toBe(true);
    expect(csrfMatches('abd', 'abc')).toBe(false);
    expect(csrfMatches('ab', 'abc')).toBe(false);
    expect(csrfMatches(undefined, 'abc')).toBe(false);
  });
});
