import type { Executor } from '../../shared/db/database.js';
import type { ApiKeysTable } from '../../shared/db/schema.js';

export type ApiKeyRow = ApiKeysTable;

export function createApiKeysRepository({ db }: { db: Executor }) {
  return {
    async insert(row: ApiKeyRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('api_keys').values(row).execute();
    },

    async findByPrefix(prefix: string): Promise<ApiKeyRow | undefined> {
      return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
    },

    async findForAccountByPrefix(accountId: string, prefix: string): Promise<ApiKeyRow | undefined> {
      return db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('prefix', '=', prefix)
        .executeTakeFirst();
    },

    async listForAgent(accountId: string, agentId: string): Promise<ApiKeyRow[]> {
      return db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
    },

    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },

    /** Revokes by prefix anywhere (the operator's CLI); returns whether a live key was revoked. */
    async revokeByPrefix(prefix: string, at: string): Promise<boolean> {
      const res = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('prefix', '=', prefix)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
