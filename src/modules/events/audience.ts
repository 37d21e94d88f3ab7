import type { Principal } from '../../shared/auth/principal.js';

/**
 * Who may read an event, stored with it (migration 0011):
 * - null: everyone who reads the account's log (members, API keys, webhooks);
 * - `members`: members only, never API keys or webhooks: an internal note's events;
 * - `managers`: admin members and API keys, who manage webhooks: `webhook.*` events carry an
 *   endpoint (its URL may hold a token), which other members may not read (GET /webhooks is 403).
 */
export type Audience = 'members' | 'managers' | null;

export function audienceOf(type: string, data: Record<string, unknown>): Audience {
  if (type.startsWith('webhook.')) return 'managers';
  const message = data.message as { role?: unknown } | undefined;
  return message?.role === 'note' ? 'members' : null;
}

/** The audiences besides everyone's whose events `principal` may read. */
export function audiencesOf(principal: Principal): Array<Exclude<Audience, null>> {
  if (principal.kind === 'api_key') return ['managers'];
  if (principal.kind === 'member' && principal.role === 'agent') return ['members'];
  return ['members', 'managers'];
}

/** Whether a webhook may carry an event of this audience (an endpoint is set up by a manager). */
export const deliverable = (audience: string | null): boolean => audience !== 'members';
