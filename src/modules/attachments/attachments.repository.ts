import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { AttachmentsTable } from '../../shared/db/schema.js';
import { UUID_PATTERN as UUID } from '../../shared/ids.js';

export type AttachmentRow = Selectable<AttachmentsTable>;

/** The uuid form ids must have before they reach PostgreSQL's text comparisons (any text is fine there, but not worth a query). */

export function createAttachmentsRepository({ db }: { db: Executor }) {
  return {
    async insert(row: Insertable<AttachmentsTable>, executor: Executor = db): Promise<AttachmentRow> {
      return executor.insertInto('attachments').values(row).returningAll().executeTakeFirstOrThrow();
    },

    async findById(accountId: string, id: string, executor: Executor = db): Promise<AttachmentRow | undefined> {
      if (!UUID.test(id)) return undefined;
      return executor.selectFrom('attachments').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    },

    /** The account's attachments of these ids (those that exist), in no particular order. */
    async findMany(accountId: string, ids: string[], executor: Executor = db): Promise<AttachmentRow[]> {
      const wanted = ids.filter((id) => UUID.test(id));
      if (wanted.length === 0) return [];
      return executor.selectFrom('attachments').selectAll().where('account_id', '=', accountId).where('id', 'in', wanted).execute();
    },

    /**
     * Puts the uploads on a message, only those still on none: the count tells whether another
     * message took one of them first (its write holds the rows until it commits).
     */
    async linkToMessage(accountId: string, ids: string[], messageId: number, executor: Executor = db): Promise<number> {
      const res = await executor
        .updateTable('attachments')
        .set({ message_id: messageId })
        .where('account_id', '=', accountId)
        .where('id', 'in', ids)
        .where('message_id', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    /** Deletes the attachment rows of these conversations; returns their storage keys. */
    async deleteForConversations(accountId: string, conversationIds: string[], executor: Executor = db): Promise<string[]> {
      if (conversationIds.length === 0) return [];
      const rows = await executor
        .deleteFrom('attachments')
        .where('account_id', '=', accountId)
        .where('conversation_id', 'in', conversationIds)
        .returning('storage_key')
        .execute();
      return rows.map((r) => r.storage_key);
    },

    /** Up to `limit` uploads no message took, created before `before`. */
    async unattachedBefore(before: string, limit: number, executor: Executor = db): Promise<AttachmentRow[]> {
      return executor
        .selectFrom('attachments')
        .selectAll()
        .where('message_id', 'is', null)
        .where('created_at', '<', before)
        .orderBy('created_at')
        .limit(limit)
        .execute();
    },

    /** Deletes these rows if still on no message; returns the storage keys of those deleted. */
    async deleteUnattached(ids: string[], executor: Executor = db): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await executor
        .deleteFrom('attachments')
        .where('id', 'in', ids)
        .where('message_id', 'is', null)
        .returning('storage_key')
        .execute();
      return rows.map((r) => r.storage_key);
    },
  };
}

export type AttachmentsRepository = ReturnType<typeof createAttachmentsRepository>;
