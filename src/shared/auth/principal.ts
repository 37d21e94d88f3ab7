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

export type Principal = ApiKeyPrincipal | MemberPrincipal;
