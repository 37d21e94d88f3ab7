import type { Updateable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { EmailMessagesTable } from '../../shared/db/schema.js';
import type { ChannelRow } from '../channels/channels.repository.js';

/** The queries of receiving mail beyond the email repository's threads and mails. */
export function createEmailInboundRepository({ db }: { db: Executor }) {
  return {
    /** A channel by id in any account: the raw-mail route names only the channel (its token proves the rest). */
    channelById(id: string): Promise<ChannelRow | undefined> {
      return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Records what became of a received mail (its conversation, its message, its disposition). */
    async settle(accountId: string, id: string, patch: Updateable<EmailMessagesTable>, executor: Executor = db): Promise<void> {
      await executor.updateTable('email_messages').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    /** Which of these conversations still exist (a thread or a mail can outlive its deleted conversation). */
    async existingConversations(accountId: string, ids: string[], executor: Executor = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await executor.selectFrom('conversations').select('id').where('account_id', '=', accountId).where('id', 'in', ids).execute();
      return new Set(rows.map((r) => r.id));
    },

    /**
     * The AI replies (written, being written or queued; not failed ones) given since `since` in the
     * contact's conversations on email channels: what the hourly cap counts.
     */
    async aiRepliesSince(accountId: string, contactId: number, since: string, executor: Executor = db): Promise<number> {
      // From the contact's conversations active since then, to each one's messages by its index:
      // a cross join keeps SQLite to that order, and the time is compared through coalesce so the
      // account's (account_id, created_at) index is not used instead, which would read every
      // message the whole account received in the hour, once per conversation.
      const row = await executor
        .selectFrom('conversations as c')
        .innerJoin('channels as ch', (j) => j.onRef('ch.account_id', '=', 'c.account_id').onRef('ch.id', '=', 'c.channel_id'))
        .crossJoin('messages as m')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .whereRef('m.account_id', '=', 'c.account_id')
        .whereRef('m.conversation_id', '=', 'c.id')
        .where('c.account_id', '=', accountId)
        .where('c.contact_id', '=', contactId)
        .where('c.last_message_at', '>=', since)
        .where('ch.type', '=', 'email')
        .where('m.role', '=', 'assistant')
        .where('m.status', '!=', 'failed')
        .where((eb) => eb.fn.coalesce('m.created_at', 'm.updated_at'), '>=', since)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

export type EmailInboundRepository = ReturnType<typeof createEmailInboundRepository>;
