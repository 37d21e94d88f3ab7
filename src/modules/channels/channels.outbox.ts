import type { Transaction } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { DB } from '../../shared/db/schema.js';
import { uuidv7 } from '../../shared/ids.js';
import { nowIso } from '../../shared/time.js';
import type { ConversationView } from '../conversations/conversations.presenters.js';
import type { Emit, EventLog, PendingEvent } from '../events/events.log.js';
import { presentMessage, type MessageDelivery } from '../messages/messages.presenters.js';
import type { ChannelDeliveriesRepository } from './channels.deliveries.repository.js';
import type { ChannelRegistry } from './channels.registry.js';
import type { MessageRow } from '../messages/messages.repository.js';

/** What a message shows once it is queued for its channel. */
export const QUEUED: MessageDelivery = { status: 'queued', error: null, attempts: 0, sent_at: null };

/** Replies that leave through a channel: the agent's and people's, never notes or the contact's own. */
const SENT_ROLES = new Set(['assistant', 'operator']);

/**
 * The source of a delivery's outcome events: an automation's when an automation wrote the message,
 * so that a rule answering `message.sent` or `message.delivery_failed` with a message cannot
 * trigger itself through that message being sent or failing in turn (automations skip events an
 * automation caused).
 */
export function failureSource(message: Pick<MessageRow, 'author_type'> | undefined): string | null {
  return message?.author_type === 'system' ? 'automation' : null;
}

interface AnnouncedMessage {
  id: number;
  role: string;
  status: string;
  conversation_id: string;
  delivery: MessageDelivery | null;
}

export interface ChannelOutboxDeps {
  eventLog: EventLog;
  deliveries: ChannelDeliveriesRepository;
  registry: Pick<ChannelRegistry, 'adapterOf'>;
  /** The conversation as events carry it (the conversations use cases' presentStored). */
  presentConversation: (accountId: string, id: string, executor: Executor) => Promise<ConversationView>;
}

/**
 * The channel outbox: every assistant and operator message announced (`message.created`) in a
 * conversation whose channel can send gets a delivery row, queued in the message's own
 * transaction, so a reply that commits is sent (at least once) and one that rolls back never is.
 * Nobody calls it to send: it sees every message on its way into the event log (a prepare hook,
 * registered in services.ts), whichever path wrote it — an operator's reply, the AI's (sync,
 * streamed or async), a handoff's acknowledgement, an automation's message.
 */
export function createChannelOutbox({ eventLog, deliveries, registry, presentConversation }: ChannelOutboxDeps) {
  /**
   * Writes a delivery's outcome on its message, inside the caller's transaction, and announces its
   * end: `message.sent` once the channel took it, `message.delivery_failed` when it gave up (both
   * {message, conversation}). A retry still to come announces nothing.
   */
  async function settleMessage(
    trx: Executor,
    emit: Emit,
    accountId: string,
    messageId: number,
    delivery: MessageDelivery,
  ): Promise<void> {
    await deliveries.setMessageDelivery(accountId, messageId, delivery, trx);
    if (delivery.status === 'queued') return;
    const message = await deliveries.message(accountId, messageId, trx);
    if (!message) return;
    emit(delivery.status === 'sent' ? 'message.sent' : 'message.delivery_failed', {
      message: presentMessage(message),
      conversation: await presentConversation(accountId, message.conversation_id, trx),
    });
  }

  return {
    settleMessage,

    /** The event log's prepare hook: queues the deliveries of the replies announced in this transaction. */
    async prepare(trx: Transaction<DB>, accountId: string, events: PendingEvent[]): Promise<void> {
      const channels = new Map<string, Awaited<ReturnType<ChannelDeliveriesRepository['channelOfConversation']>>>();
      for (const e of events) {
        if (e.type !== 'message.created') continue;
        const message = e.data.message as AnnouncedMessage | undefined;
        if (!message || !SENT_ROLES.has(message.role) || message.status !== 'completed' || message.delivery) continue;
        // The announced conversation says when it has no channel: nothing to look up.
        if ((e.data.conversation as { channel_id?: unknown } | undefined)?.channel_id === null) continue;
        let channel = channels.get(message.conversation_id);
        if (!channels.has(message.conversation_id)) {
          channel = await deliveries.channelOfConversation(accountId, message.conversation_id, trx);
          channels.set(message.conversation_id, channel);
        }
        if (!channel || channel.active !== 1 || !registry.adapterOf(channel.type)?.send) continue;
        const at = nowIso();
        const queued = await deliveries.insert(
          {
            id: uuidv7(),
            account_id: accountId,
            channel_id: channel.id,
            conversation_id: message.conversation_id,
            message_id: message.id,
            status: 'queued',
            attempts: 0,
            next_attempt_at: at,
            locked_until: null,
            last_error: null,
            external_id: null,
            sent_at: null,
            created_at: at,
            updated_at: at,
          },
          trx,
        );
        if (!queued) continue;
        await deliveries.setMessageDelivery(accountId, message.id, QUEUED, trx);
        // The announced message is the one stored: it says it is queued.
        message.delivery = { ...QUEUED };
      }
    },

    /**
     * Marks a message's delivery failed now, with `reason` (a bounce: the mail was sent, then
     * refused), and appends `message.delivery_failed`. False when the message has no delivery or
     * it has already failed.
     */
    async failDelivery(accountId: string, messageId: number, reason: string): Promise<boolean> {
      const message = await deliveries.message(accountId, messageId);
      return eventLog.transaction(
        accountId,
        async (trx, emit) => {
          const row = await deliveries.failNow(accountId, messageId, reason, nowIso(), trx);
          if (!row) return false;
          await settleMessage(trx, emit, accountId, messageId, { status: 'failed', error: reason, attempts: row.attempts, sent_at: row.sent_at });
          return true;
        },
        failureSource(message),
      );
    },
  };
}

export type ChannelOutbox = ReturnType<typeof createChannelOutbox>;
