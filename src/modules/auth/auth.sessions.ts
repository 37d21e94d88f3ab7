import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionRow } from './sessions.repository.js';

/** The session cookie's name; `__Host-` is not used because plain-http self-hosting must work too. */
export const SESSION_COOKIE = 'parley_session';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** …and after this long in any case. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often per session, so reads stay reads. */
export const SESSION_TOUCH_MS = 60_000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this hash is stored, so a leaked sessions table cannot be replayed. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Whether a stored session may still be used at `now` (not revoked, not idle, not past its end). */
export function isSessionLive(row: Pick<SessionRow, 'revoked_at' | 'expires_at' | 'last_seen_at'>, now: number): boolean {
  if (row.revoked_at) return false;
  if (Date.parse(row.expires_at) <= now) return false;
  return Date.parse(row.last_seen_at) + SESSION_IDLE_MS > now;
}

/**
 * Compares a presented CSRF token with the session's in constant time. Both sides are hashed first
 * so neither their lengths nor a common prefix leaks through timing.
 */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The first value of a cookie in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

/**
 * The Set-Cookie value for a session token. HttpOnly keeps it from scripts; SameSite=Lax keeps it
 * off cross-site subrequests and form posts; Secure only over https, so plain-http self-hosting
 * (localhost, a private network) still works.
 */
export function sessionCookie(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${opts.maxAgeSeconds}`];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(opts: { secure: boolean }): string {
  const parts = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
