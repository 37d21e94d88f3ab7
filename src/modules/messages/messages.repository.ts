import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { MessagesTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;

/** Roles an API caller sees in a conversation; system messages are internal, notes are for members. */
export const PUBLIC_ROLES = ['user', 'assistant', 'operator'] as const;

export function createMessagesRepository({ db }: { db: Executor }) {
  return {
    async insert(row: NewMessageRow, executor: Executor = db): Promise<MessageRow> {
      return executor.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow();
    },

    async update(
      accountId: string,
      id: number,
      patch: Partial<NewMessageRow>,
      executor: Executor = db,
    ): Promise<void> {
      await executor.updateTable('messages').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    /** The visible messages of a conversation, oldest first: replies only once they are complete. */
    async listVisible(
      accountId: string,
      conversationId: string,
      page: { after: CursorValue[] | null; limit: number },
    ): Promise<MessageRow[]> {
      let q = db
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', 'in', [...PUBLIC_ROLES])
        .where('status', '=', 'completed');
      if (page.after) q = q.where(afterKey(['id'], page.after, 'asc'));
      return q.orderBy('id', 'asc').limit(page.limit + 1).execute();
    },

    /** The last `limit` completed messages before `beforeId`, oldest first: the model's context. */
    async recentHistory(accountId: string, conversationId: string, beforeId: number, limit: number): Promise<MessageRow[]> {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', 'in', [...PUBLIC_ROLES])
        .where('status', '=', 'completed')
        .where('id', '<', beforeId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse();
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
