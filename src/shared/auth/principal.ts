/** Who is calling. Every principal acts inside exactly one account. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  accountId: string;
  /** The agent the key belongs to: seed 000 scopes `/agents` to it. */
  agentId: string;
  keyId: string;
}

/** An operator signed in through the web inbox with a session cookie. */
export interface MemberPrincipal {
  kind: 'member';
  accountId: string;
  memberId: string;
  role: 'admin' | 'agent';
  sessionId: string;
}

/**
 * Parley acting on its own behalf: an automation's actions, a widget visitor's, the AI's handoff,
 * mail received in an email channel. Its events carry the source.
 */
export interface SystemPrincipal {
  kind: 'system';
  accountId: string;
  source: 'automation' | 'widget' | 'ai' | 'email';
}

export type Principal = ApiKeyPrincipal | MemberPrincipal | SystemPrincipal;

/**
 * The event source to record for changes made by this principal: the system's source, `member:<id>`
 * for a signed-in member (so that log consumers such as notifications know who acted and do not
 * tell people of their own actions), null for API keys.
 */
export function sourceOf(principal: Principal): string | null {
  if (principal.kind === 'system') return principal.source;
  return principal.kind === 'member' ? `member:${principal.memberId}` : null;
}

/** The member who caused an event, from its recorded source (null when it was not a member). */
export function memberOfSource(source: string | null): string | null {
  return source?.startsWith('member:') ? source.slice('member:'.length) : null;
}
