import type { Executor } from '../../shared/db/database.js';
import { prepareQuery } from '../../shared/db/prepared.js';
import type { ApiKeysTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type ApiKeyRow = ApiKeysTable;

export function createApiKeysRepository({ db }: { db: Executor }) {
  const byPrefix = prepareQuery(db, 1, (q, prefix: string) => q.selectFrom('api_keys').selectAll().where('prefix', '=', prefix));
  return {
    async insert(row: ApiKeyRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('api_keys').values(row).execute();
    },

    async findByPrefix(prefix: string): Promise<ApiKeyRow | undefined> {
      return (await byPrefix([prefix]))[0];
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

    /** One page of an agent's keys, oldest first, revoked ones included (they show when and that they ended). */
    async listPage(
      accountId: string,
      agentId: string,
      opts: { after: CursorValue[] | null; limit: number },
    ): Promise<ApiKeyRow[]> {
      let q = db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).where('agent_id', '=', agentId);
      if (opts.after) q = q.where(afterKey(['created_at', 'id'], opts.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(opts.limit + 1).execute();
    },

    async findById(accountId: string, agentId: string, id: string): Promise<ApiKeyRow | undefined> {
      return db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Revokes one key of an agent; a key already revoked keeps its first revocation time. */
    async revokeById(accountId: string, agentId: string, id: string, at: string): Promise<void> {
      await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('account_id', '=', accountId)
        .where('agent_id', '=', agentId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
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
