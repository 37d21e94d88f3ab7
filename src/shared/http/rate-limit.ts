import type { FastifyReply } from 'fastify';
import { AppError } from '../errors/errors.js';

export interface RateLimitRule {
  /** Requests allowed per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
}

interface Window {
  start: number;
  count: number;
}

/**
 * Fixed-window request counters (per API key, per IP), in this process's memory. With several
 * processes each keeps its own count, so the effective limit is per process.
 */
export function createRateLimiter(rule: RateLimitRule, maxKeys = 100_000) {
  const windows = new Map<string, Window>();
  return {
    rule,
    /** Counts a request; returns what the `RateLimit-*` headers should say and whether it is allowed. */
    hit(key: string, now = Date.now()): { allowed: boolean; remaining: number; resetSeconds: number } {
      let w = windows.get(key);
      if (!w || now - w.start >= rule.windowMs) {
        if (!w && windows.size >= maxKeys) {
          // Forget expired windows first; if still full, the oldest entry goes.
          for (const [k, v] of windows) if (now - v.start >= rule.windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return {
        allowed: w.count <= rule.limit,
        remaining: Math.max(0, rule.limit - w.count),
        resetSeconds: Math.max(0, Math.ceil((w.start + rule.windowMs - now) / 1000)),
      };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Sets the IETF draft `RateLimit-*` headers, and throws 429 RATE_LIMITED when over the limit. */
export function enforce(reply: FastifyReply, limiter: RateLimiter, key: string, what: string): void {
  if (limiter.rule.limit <= 0) return;
  const r = limiter.hit(key);
  reply.header('ratelimit-limit', String(limiter.rule.limit));
  reply.header('ratelimit-remaining', String(r.remaining));
  reply.header('ratelimit-reset', String(r.resetSeconds));
  if (!r.allowed) {
    reply.header('retry-after', String(Math.max(1, r.resetSeconds)));
    throw new AppError('RATE_LIMITED', `Too many requests for this ${what}; retry in ${Math.max(1, r.resetSeconds)} s`, {
      retry_after: Math.max(1, r.resetSeconds),
    });
  }
}
