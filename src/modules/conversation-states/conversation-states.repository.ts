import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { ConversationStatesTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type ConversationStateRow = Selectable<ConversationStatesTable>;

export function createConversationStatesRepository({ db }: { db: Executor }) {
  return {
    /** Throws a unique violation when the name is taken in the account. */
    async insert(row: ConversationStateRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('conversation_states').values(row).execute();
    },

    async findById(accountId: string, id: string, executor: Executor = db): Promise<ConversationStateRow | undefined> {
      return executor
        .selectFrom('conversation_states')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** States oldest first: the order an admin defined them in. */
    async list(accountId: string, page: { after: CursorValue[] | null; limit: number }): Promise<ConversationStateRow[]> {
      let q = db.selectFrom('conversation_states').selectAll().where('account_id', '=', accountId);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit + 1).execute();
    },

    /** Applies a change and returns the stored row (undefined when gone); a taken name throws a unique violation. */
    async update(
      accountId: string,
      id: string,
      patch: Partial<Omit<ConversationStateRow, 'id' | 'account_id' | 'created_at'>>,
      executor: Executor = db,
    ): Promise<ConversationStateRow | undefined> {
      return executor
        .updateTable('conversation_states')
        .set(patch)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    async delete(accountId: string, id: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .deleteFrom('conversation_states')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

  };
}

export type ConversationStatesRepository = ReturnType<typeof createConversationStatesRepository>;
