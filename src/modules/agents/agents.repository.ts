import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { AgentsTable } from '../../shared/db/schema.js';
import { accountRows } from '../../shared/db/account-rows.js';
import type { CursorValue } from '../../shared/pagination/pagination.js';

export type AgentRow = Selectable<AgentsTable>;
export type NewAgentRow = Insertable<AgentsTable>;

export function createAgentsRepository({ db }: { db: Executor }) {
  const rows = accountRows(db, 'agents');
  return {
    async insert(row: NewAgentRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('agents').values(row).execute();
    },

    findById: (accountId: string, id: string, executor: Executor = db) => rows.findById(accountId, id, executor),
    findShared: rows.findShared,
    updateLocked: rows.updateLocked,

    /** The account's first active agent (oldest first): who answers when a channel names none. */
    async firstActive(accountId: string, executor: Executor = db): Promise<AgentRow | undefined> {
      return executor
        .selectFrom('agents')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('status', '=', 'active')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
    },

    /** An agent by id in any account: for the operator's CLI only, never for HTTP callers. */
    async findAnyById(id: string): Promise<AgentRow | undefined> {
      return db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Agents of an account, oldest first; `onlyId` narrows to one (an API key sees its own agent). */
    list(accountId: string, opts: { onlyId?: string; after: CursorValue[] | null; limit: number }): Promise<AgentRow[]> {
      return rows.list(accountId, opts, { id: opts.onlyId || undefined });
    },
  };
}

export type AgentsRepository = ReturnType<typeof createAgentsRepository>;
