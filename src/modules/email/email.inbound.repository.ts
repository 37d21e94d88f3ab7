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
      const row = await executor
        .selectFrom('messages as m')
        .innerJoin('conversations as c', (j) => j.onRef('c.account_id', '=', 'm.account_id').onRef('c.id', '=', 'm.conversation_id'))
        .innerJoin('channels as ch', (j) => j.onRef('ch.account_id', '=', 'c.account_id').onRef('ch.id', '=', 'c.channel_id'))
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('m.account_id', '=', accountId)
        .where('c.contact_id', '=', contactId)
        .where('ch.type', '=', 'email')
        .where('m.role', '=', 'assistant')
        .where('m.status', '!=', 'failed')
        .where('m.created_at', '>=', since)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

export type EmailInboundRepository = ReturnType<typeof createEmailInboundRepository>;
