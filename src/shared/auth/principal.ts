/** Who is calling. Issue-2 callers are API keys; operators' sessions join this union later. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  accountId: string;
  agentId: string;
  keyId: string;
}

export type Principal = ApiKeyPrincipal;
