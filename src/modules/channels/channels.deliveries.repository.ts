import type { Insertable, Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { AttachmentsTable, ChannelDeliveriesTable, ChannelsTable, MessagesTable } from '../../shared/db/schema.js';
import type { MessageDelivery } from '../messages/messages.presenters.js';
import { claimDue } from '../../shared/db/leased-queue.js';

export type ChannelDeliveryRow = Selectable<ChannelDeliveriesTable>;
export type NewChannelDelivery = Insertable<ChannelDeliveriesTable>;

/** What an attempt leaves on its delivery. */
export type ChannelDeliveryOutcome = Pick<ChannelDeliveryRow, 'status' | 'last_error' | 'next_attempt_at' | 'updated_at'> &
  Partial<Pick<ChannelDeliveryRow, 'external_id' | 'sent_at' | 'attempts'>>;

/** Channel deliveries: the outbound outbox rows and the worker's claims on them. */
export function createChannelDeliveriesRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  return {
    /** Queues a delivery; false when the message already has one (its event was announced twice). */
    async insert(row: NewChannelDelivery, executor: Executor = db): Promise<boolean> {
      const inserted = await executor
        .insertInto('channel_deliveries')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'message_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    findByMessage(accountId: string, messageId: number, executor: Executor = db): Promise<ChannelDeliveryRow | undefined> {
      return executor
        .selectFrom('channel_deliveries')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('message_id', '=', messageId)
        .executeTakeFirst();
    },

    /** Claims up to `limit` due deliveries of any account until `leaseUntil` (see claimDue in leased-queue.ts). */
    claimDue(now: string, leaseUntil: string, limit: number) {
      return claimDue(db, dialect, 'channel_deliveries', 'queued', now, leaseUntil, limit);
    },

    /**
     * Writes an attempt's outcome, only if this worker still holds the claim (same attempt count,
     * still sending): a worker whose lease ran out and was overtaken changes nothing.
     */
    async finish(
      claimed: Pick<ChannelDeliveryRow, 'account_id' | 'id' | 'attempts'>,
      outcome: ChannelDeliveryOutcome,
      executor: Executor = db,
    ): Promise<boolean> {
      const res = await executor
        .updateTable('channel_deliveries')
        .set({ ...outcome, locked_until: null })
        .where('account_id', '=', claimed.account_id)
        .where('id', '=', claimed.id)
        .where('status', '=', 'sending')
        .where('attempts', '=', claimed.attempts)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** The channel a conversation came through, if it still exists (the outbox's question). */
    channelOfConversation(
      accountId: string,
      conversationId: string,
      executor: Executor = db,
    ): Promise<Pick<Selectable<ChannelsTable>, 'id' | 'type' | 'active'> | undefined> {
      return executor
        .selectFrom('conversations as c')
        .innerJoin('channels as ch', (j) => j.onRef('ch.id', '=', 'c.channel_id').onRef('ch.account_id', '=', 'c.account_id'))
        .select(['ch.id', 'ch.type', 'ch.active'])
        .where('c.account_id', '=', accountId)
        .where('c.id', '=', conversationId)
        .executeTakeFirst();
    },

    /** A message of the account by its id alone, whatever its conversation. */
    message(accountId: string, messageId: number, executor: Executor = db): Promise<Selectable<MessagesTable> | undefined> {
      return executor.selectFrom('messages').selectAll().where('account_id', '=', accountId).where('id', '=', messageId).executeTakeFirst();
    },

    /** The files a message carries, in the order they were uploaded. */
    attachmentsOf(accountId: string, messageId: number, executor: Executor = db): Promise<Selectable<AttachmentsTable>[]> {
      return executor
        .selectFrom('attachments')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('message_id', '=', messageId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** Writes what the message shows of its delivery (messages.delivery), beside the delivery row. */
    async setMessageDelivery(accountId: string, messageId: number, delivery: MessageDelivery, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('messages')
        .set({ delivery: JSON.stringify(delivery) })
        .where('account_id', '=', accountId)
        .where('id', '=', messageId)
        .execute();
    },

    /**
     * Fails a message's delivery now, whatever its state (a bounce arrives after it was sent), unless
     * it has already failed. Returns the row as written, or undefined when there was nothing to fail.
     */
    async failNow(accountId: string, messageId: number, reason: string, at: string, executor: Executor = db): Promise<ChannelDeliveryRow | undefined> {
      return executor
        .updateTable('channel_deliveries')
        .set({ status: 'failed', last_error: reason, next_attempt_at: null, locked_until: null, updated_at: at })
        .where('account_id', '=', accountId)
        .where('message_id', '=', messageId)
        .where('status', '!=', 'failed')
        .returningAll()
        .executeTakeFirst();
    },
  };
}

export type ChannelDeliveriesRepository = ReturnType<typeof createChannelDeliveriesRepository>;
