import type { Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { ConversationsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type ConversationRow = Selectable<ConversationsTable>;

export interface ConversationFilters {
  contactId?: number;
  status?: 'active' | 'ended';
}

export function createConversationsRepository({ db }: { db: Executor; dialect: DialectName }) {
  return {
    async insert(row: ConversationRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('conversations').values(row).execute();
    },

    async findById(accountId: string, id: string, executor: Executor = db): Promise<ConversationRow | undefined> {
      return executor
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Conversations newest first. */
    async list(
      accountId: string,
      filters: ConversationFilters,
      page: { after: CursorValue[] | null; limit: number },
    ): Promise<ConversationRow[]> {
      let q = db.selectFrom('conversations').selectAll().where('account_id', '=', accountId);
      if (filters.contactId !== undefined) q = q.where('contact_id', '=', filters.contactId);
      if (filters.status !== undefined) q = q.where('status', '=', filters.status);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'desc'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    },

    /** Ends an active conversation; false when it was not active (already ended, or absent). */
    async end(accountId: string, id: string, at: string, reason: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .updateTable('conversations')
        .set({ status: 'ended', ended_at: at, end_reason: reason, updated_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** Records activity: a new message at `at`; a user message also counts a turn. */
    async touch(accountId: string, id: string, at: string, countTurn: boolean, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('conversations')
        .set((eb) => ({
          updated_at: at,
          last_message_at: at,
          ...(countTurn ? { turn_count: eb('turn_count', '+', 1) } : {}),
        }))
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    },
  };
}

export type ConversationsRepository = ReturnType<typeof createConversationsRepository>;
