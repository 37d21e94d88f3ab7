import { createHmac, randomBytes } from 'node:crypto';

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
