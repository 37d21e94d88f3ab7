/**
 * Counts failures per key in a sliding window, in this process's memory. Enough for one process
 * or a few behind a load balancer (each then allows its own budget); a shared store would be the
 * next step if that ever matters.
 */
export interface RateLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): number;
  /** Records one failure for `key`. */
  fail(key: string): void;
  /** Forgets `key`'s failures (a successful login clears its email's count). */
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

  return {
    retryAfter(key) {
      const at = now();
      const times = recent(key, at);
      if (times.length < limit) return 0;
      // The window frees a slot when the (length - limit + 1)th newest failure ages out.
      const oldestThatCounts = times[times.length - limit];
      return Math.max(1, Math.ceil((oldestThatCounts + windowMs - at) / 1000));
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

export interface LoginLimiter {
  /** Seconds to wait before this email or address may try again, or 0. */
  retryAfter(email: string, ip: string): number;
  fail(email: string, ip: string): void;
  succeed(email: string): void;
}

export function createLoginLimiter(opts: { now?: () => number } = {}): LoginLimiter {
  const byEmail = createRateLimiter({ limit: LOGIN_FAILURES_PER_EMAIL, windowMs: LOGIN_WINDOW_MS, now: opts.now });
  const byIp = createRateLimiter({ limit: LOGIN_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS, now: opts.now });
  return {
    retryAfter: (email, ip) => Math.max(byEmail.retryAfter(email), byIp.retryAfter(ip)),
    fail(email, ip) {
      byEmail.fail(email);
      byIp.fail(ip);
    },
    succeed: (email) => byEmail.reset(email),
  };
}
