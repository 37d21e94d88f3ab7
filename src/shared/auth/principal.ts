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

/** Parley acting on its own behalf: an automation's actions, a widget visitor's, the AI's handoff. Its events carry the source. */
export interface SystemPrincipal {
  kind: 'system';
  accountId: string;
  source: 'automation' | 'widget' | 'ai';
}

export type Principal = ApiKeyPrincipal | MemberPrincipal | SystemPrincipal;

/** The event source to record for changes made by this principal (null for people and keys). */
export function sourceOf(principal: Principal): string | null {
  return principal.kind === 'system' ? principal.source : null;
}
