/**
 * Counts failures per key in a sliding window, in this process's memory. Enough for one process
 * or a few behind a load balancer (each then allows its own budget); a shared store would be the
 * next step if that ever matters.
 */
export interface RateLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): number;
  /**
   * Counts one attempt for `key` before its outcome is known, when the key may try now: returns 0
   * and the attempt counts like a failure until `release`. Otherwise returns the seconds to wait
   * and counts nothing. Checking and counting in one step is what keeps parallel attempts within
   * the limit: each one sees those still under way.
   */
  reserve(key: string): number;
  /** Ends an attempt counted by `reserve` without counting it (a failure is then `fail`). */
  release(key: string): void;
  /** Records one failure for `key`. */
  fail(key: string): void;
  /** Forgets `key`'s failures (a successful login clears its email's count); attempts under way still count. */
  reset(key: string): void;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** Beyond this many keys the oldest are forgotten, so a flood of distinct keys cannot exhaust memory. */
  maxKeys?: number;
  now?: () => number;
}

export function createRateLimiter({ limit, windowMs, maxKeys = 100_000, now = Date.now }: RateLimiterOptions): RateLimiter {
  /** Failure times per key, oldest first. A Map keeps insertion order, which eviction relies on. */
  const failures = new Map<string, number[]>();
  /** Attempts under way per key (reserved, not yet released); a key is kept only while it has some. */
  const pending = new Map<string, number>();

  function recent(key: string, at: number): number[] {
    const times = failures.get(key);
    if (!times) return [];
    const from = at - windowMs;
    let i = 0;
    while (i < times.length && times[i] <= from) i++;
    if (i > 0) times.splice(0, i);
    if (times.length === 0) failures.delete(key);
    return times;
  }

  function retryAfter(key: string): number {
    const at = now();
    const times = recent(key, at);
    const underWay = pending.get(key) ?? 0;
    if (times.length + underWay < limit) return 0;
    // Attempts under way alone fill the limit: they end within moments.
    if (underWay >= limit) return 1;
    // A slot frees when enough failures age out for the rest, with the attempts under way, to fit.
    const oldestThatCounts = times[times.length + underWay - limit];
    return Math.max(1, Math.ceil((oldestThatCounts + windowMs - at) / 1000));
  }

  return {
    retryAfter,

    reserve(key) {
      const wait = retryAfter(key);
      if (wait === 0) pending.set(key, (pending.get(key) ?? 0) + 1);
      return wait;
    },

    release(key) {
      const underWay = pending.get(key) ?? 0;
      if (underWay > 1) pending.set(key, underWay - 1);
      else pending.delete(key);
    },

    fail(key) {
      const at = now();
      const times = recent(key, at);
      failures.delete(key);
      // Keep only what can matter: at most `limit` newest failures.
      failures.set(key, [...times.slice(Math.max(0, times.length - (limit - 1))), at]);
      while (failures.size > maxKeys) {
        const oldest = failures.keys().next().value;
        if (oldest === undefined) break;
        failures.delete(oldest);
      }
    },

    reset(key) {
      failures.delete(key);
    },
  };
}

/** The login limits: failures per email and per client address within 15 minutes. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_FAILURES_PER_EMAIL = 10;
export const LOGIN_FAILURES_PER_IP = 30;

/**
 * One password check, counted as a failure against its email and address from before the check
 * starts until it ends. The first of these calls ends it; later ones do nothing, so `release` can
 * sit in a `finally`.
 */
export interface LoginAttempt {
  /** The password was wrong: the attempt stays counted, as a failure. */
  fail(): void;
  /** The password was right and the member signs in: the email's failures are forgotten, the attempt does not count. */
  succeed(): void;
  /** Ends the attempt without counting it and without forgetting anything (an error, or a right password that signs nobody in). */
  release(): void;
}

export interface LoginLimiter {
  /**
   * Starts a password check for this email from this address, or answers the seconds to wait when
   * either is at its limit (counting nothing). Checks under way count toward the limits, so
   * parallel requests cannot all pass the check before any failure is recorded.
   */
  begin(email: string, ip: string): { attempt: LoginAttempt; retryAfter: 0 } | { attempt: null; retryAfter: number };
}

export function createLoginLimiter(opts: { now?: () => number } = {}): LoginLimiter {
  const byEmail = createRateLimiter({ limit: LOGIN_FAILURES_PER_EMAIL, windowMs: LOGIN_WINDOW_MS, now: opts.now });
  const byIp = createRateLimiter({ limit: LOGIN_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS, now: opts.now });
  return {
    begin(email, ip) {
      // Checked and counted in one synchronous step: no other request runs in between.
      const retryAfter = Math.max(byEmail.retryAfter(email), byIp.retryAfter(ip));
      if (retryAfter > 0) return { attempt: null, retryAfter };
      byEmail.reserve(email);
      byIp.reserve(ip);
      let open = true;
      const end = (outcome: 'failed' | 'succeeded' | 'released') => {
        if (!open) return;
        open = false;
        byEmail.release(email);
        byIp.release(ip);
        if (outcome === 'failed') {
          byEmail.fail(email);
          byIp.fail(ip);
        } else if (outcome === 'succeeded') {
          byEmail.reset(email);
        }
      };
      return {
        attempt: { fail: () => end('failed'), succeed: () => end('succeeded'), release: () => end('released') },
        retryAfter: 0,
      };
    },
  };
}
