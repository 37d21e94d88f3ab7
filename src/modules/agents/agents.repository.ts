import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { AgentsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type AgentRow = Selectable<AgentsTable>;
export type NewAgentRow = Insertable<AgentsTable>;

export function createAgentsRepository({ db }: { db: Executor }) {
  return {
    async insert(row: NewAgentRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('agents').values(row).execute();
    },

    async findById(accountId: string, id: string): Promise<AgentRow | undefined> {
      return db
        .selectFrom('agents')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** An agent by id in any account: for the operator's CLI only, never for HTTP callers. */
    async findAnyById(id: string): Promise<AgentRow | undefined> {
      return db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Agents of an account, oldest first; `onlyId` narrows to one (an API key sees its own agent). */
    async list(
      accountId: string,
      opts: { onlyId?: string; after: CursorValue[] | null; limit: number },
    ): Promise<AgentRow[]> {
      let q = db.selectFrom('agents').selectAll().where('account_id', '=', accountId);
      if (opts.onlyId) q = q.where('id', '=', opts.onlyId);
      if (opts.after) q = q.where(afterKey(['created_at', 'id'], opts.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(opts.limit + 1).execute();
    },

    async update(accountId: string, id: string, patch: Partial<NewAgentRow>): Promise<void> {
      await db.updateTable('agents').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },
  };
}

export type AgentsRepository = ReturnType<typeof createAgentsRepository>;
