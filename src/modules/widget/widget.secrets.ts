import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A web_widget channel's published key: safe to put in a page, it only names the channel. */
export function generatePublicKey(): string {
  return `pk_live_${randomBytes(18).toString('base64url')}`;
}

/** The secret a business signs its users' ids with (shown on creation and rotation only). */
export function generateIdentitySecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The identity hash a business's backend computes for one of its users: the hex HMAC-SHA256 of
 * the user's id under the channel's identity secret (as Intercom's and Chatwoot's identity
 * verification).
 */
export function identityHashOf(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

const TOKEN_PATTERN = /^vt_[A-Za-z0-9_-]{43}$/;

/** A visitor's token, kept by the widget's frame; only its SHA-256 is stored. */
export function generateVisitorToken(): { token: string; hash: string } {
  const token = `vt_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashVisitorToken(token) };
}

export const isVisitorToken = (value: string): boolean => TOKEN_PATTERN.test(value);

export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether `hash` is the identity hash of `userId` under `secret`, compared in constant time. */
export function identityHashMatches(secret: string, userId: string, hash: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) return false;
  return timingSafeEqual(Buffer.from(identityHashOf(secret, userId), 'hex'), Buffer.from(hash, 'hex'));
}
