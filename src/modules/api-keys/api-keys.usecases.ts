import { uuidv7 } from '../../shared/ids.js';
import { notFound } from '../../shared/errors/errors.js';
import type { Executor } from '../../shared/db/database.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { ApiKeyRow, ApiKeysRepository } from './api-keys.repository.js';
import { generateApiKey, prefixOf, type KeyMode } from './api-keys.secrets.js';

/** The key as it may be shown: never the hash; the secret only once, at creation. */
export function presentApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    agent_id: row.agent_id,
    name: row.name,
    prefix: row.prefix,
    mode: row.prefix.startsWith('sk_test_') ? ('test' as const) : ('live' as const),
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    created_at: row.created_at,
  };
}

export function createApiKeysUseCases({ apiKeys, agents }: { apiKeys: ApiKeysRepository; agents: AgentsRepository }) {
  async function assertAgent(accountId: string, agentId: string): Promise<void> {
    if (!(await agents.findById(accountId, agentId))) throw notFound('agent');
  }

  return {
    /** An agent's keys, oldest first, without secrets or hashes; 404 for an agent of another account. */
    async list(accountId: string, agentId: string, query: { cursor?: string; limit?: number }) {
      await assertAgent(accountId, agentId);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await apiKeys.listPage(accountId, agentId, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentApiKey);
    },

    /** Revokes one key of an agent at once (its next use is a 401); revoking it again changes nothing. */
    async revokeById(accountId: string, agentId: string, keyId: string): Promise<void> {
      const key = await apiKeys.findById(accountId, agentId, keyId);
      if (!key) throw notFound('API key');
      await apiKeys.revokeById(accountId, agentId, keyId, nowIso());
    },

    /** Issues a key for an agent of the account; returns the secret, which is not stored. */
    async create(
      accountId: string,
      agentId: string,
      opts: { name?: string; mode?: KeyMode } = {},
      executor?: Executor,
    ) {
      if (!executor) await assertAgent(accountId, agentId);
      const { secret, prefix, hash } = generateApiKey(opts.mode ?? 'live');
      const row: ApiKeyRow = {
        id: uuidv7(),
        account_id: accountId,
        agent_id: agentId,
        name: opts.name ?? '',
        prefix,
        key_hash: hash,
        last_used_at: null,
        revoked_at: null,
        created_at: nowIso(),
      };
      await apiKeys.insert(row, executor);
      return { ...presentApiKey(row), secret };
    },

    /** Revokes a key given its prefix or the whole secret; false when no live key matched. */
    async revoke(prefixOrSecret: string): Promise<boolean> {
      const prefix = prefixOf(prefixOrSecret) ?? prefixOrSecret.trim();
      return apiKeys.revokeByPrefix(prefix, nowIso());
    },
  };
}

export type ApiKeysUseCases = ReturnType<typeof createApiKeysUseCases>;
