import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { EmailMailboxesTable, EmailMessagesTable, EmailThreadsTable } from '../../shared/db/schema.js';

export type EmailThreadRow = Selectable<EmailThreadsTable>;
export type EmailMessageRow = Selectable<EmailMessagesTable>;
export type EmailMailboxRow = Selectable<EmailMailboxesTable>;

/** Email threads, the mails received and sent in each channel, and the IMAP mailboxes' progress. */
export function createEmailRepository({ db }: { db: Executor }) {
  return {
    threadOf(accountId: string, conversationId: string, executor: Executor = db): Promise<EmailThreadRow | undefined> {
      return executor
        .selectFrom('email_threads')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .executeTakeFirst();
    },

    threadByToken(accountId: string, channelId: string, token: string, executor: Executor = db): Promise<EmailThreadRow | undefined> {
      return executor
        .selectFrom('email_threads')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('channel_id', '=', channelId)
        .where('token', '=', token)
        .executeTakeFirst();
    },

    async insertThread(row: Insertable<EmailThreadsTable>, executor: Executor = db): Promise<void> {
      await executor.insertInto('email_threads').values(row).execute();
    },

    /** Records a mail; false when the channel already has one with this Message-ID. */
    async insertMessage(row: Insertable<EmailMessagesTable>, executor: Executor = db): Promise<boolean> {
      const inserted = await executor
        .insertInto('email_messages')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'channel_id', 'message_id_header']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    /** The channel's mails with any of these Message-IDs (threading by In-Reply-To/References). */
    findByMessageIds(accountId: string, channelId: string, ids: string[], executor: Executor = db): Promise<EmailMessageRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return executor
        .selectFrom('email_messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('channel_id', '=', channelId)
        .where('message_id_header', 'in', ids)
        .execute();
    },

    /** The mail a Parley message was received as or sent as. */
    findByMessage(accountId: string, messageId: number, executor: Executor = db): Promise<EmailMessageRow | undefined> {
      return executor
        .selectFrom('email_messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('message_id', '=', messageId)
        .orderBy('created_at', 'asc')
        .executeTakeFirst();
    },

    /**
     * The thread of a conversation, created with `row` when it has none yet (two sends of one
     * conversation at once create it once).
     */
    async ensureThread(row: Insertable<EmailThreadsTable>, executor: Executor = db): Promise<EmailThreadRow> {
      await executor
        .insertInto('email_threads')
        .values(row)
        .onConflict((oc) => oc.column('conversation_id').doNothing())
        .execute();
      return executor
        .selectFrom('email_threads')
        .selectAll()
        .where('account_id', '=', row.account_id)
        .where('conversation_id', '=', row.conversation_id)
        .executeTakeFirstOrThrow();
    },

    /** The Message-IDs of a conversation's latest mails in a channel, received or sent, oldest first. */
    async recentMessageIds(accountId: string, channelId: string, conversationId: string, limit: number, executor: Executor = db): Promise<string[]> {
      const rows = await executor
        .selectFrom('email_messages')
        .select(['message_id_header', 'created_at', 'id'])
        .where('account_id', '=', accountId)
        .where('channel_id', '=', channelId)
        .where('conversation_id', '=', conversationId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map((r) => r.message_id_header);
    },

    mailbox(channelId: string, executor: Executor = db): Promise<EmailMailboxRow | undefined> {
      return executor.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    },
  };
}

export type EmailRepository = ReturnType<typeof createEmailRepository>;
