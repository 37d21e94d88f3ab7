import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { ContactsRepository } from '../contacts/contacts.repository.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { EventLog } from '../events/events.log.js';
import { retryDelayMs } from '../webhooks/webhooks.worker.js';
import { PermanentSendError, type SentMessage } from './channels.adapters.js';
import type { ChannelDeliveriesRepository, ChannelDeliveryRow } from './channels.deliveries.repository.js';
import { failureSource, type ChannelOutbox } from './channels.outbox.js';
import type { MessageRow } from '../messages/messages.repository.js';
import type { ChannelRegistry } from './channels.registry.js';
import type { ChannelsRepository } from './channels.repository.js';
import { runClaimed } from '../../shared/tasks/claimed-work.js';

/** Attempts per delivery, the first included; after the last failure the message's delivery has failed. */
export const MAX_ATTEMPTS = 6;

export interface ChannelWorkerOptions {
  eventLog: EventLog;
  deliveries: ChannelDeliveriesRepository;
  outbox: Pick<ChannelOutbox, 'settleMessage'>;
  registry: Pick<ChannelRegistry, 'adapterOf'>;
  repos: { channels: ChannelsRepository; conversations: ConversationsRepository; contacts: ContactsRepository; accounts: AccountsRepository };
  /** The first retry waits about this long; each further one twice as long (PARLEY_CHANNEL_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Deliveries in flight at once, per process. */
  concurrency?: number;
  /** How long a claim lasts: longer than any send (an SMTP server has 15 s per step) and its write. */
  leaseMs?: number;
  /** A run stops claiming after this long and finishes what it holds; the next tick carries on. */
  runBudgetMs?: number;
}

type Attempt =
  | { ok: true; sent: SentMessage }
  | {
      ok: false;
      reason: string;
      /** No retry can help: the recipient was refused, the channel is gone or off. */
      permanent: boolean;
      /** The channel itself failed (connection, login): it shows as failing to admins. */
      channelFault: boolean;
    };

/**
 * Sends queued channel deliveries: each through its channel's adapter, with retries and backoff.
 * Safe in several processes at once, like the webhook worker: each delivery is claimed by one of
 * them with a lease (a crashed worker's claims come back when the lease runs out), and an outcome
 * is written only by the claim's holder, on the delivery and its message in one transaction.
 * `run(now)` takes the clock so tests can move time.
 */
export function createChannelWorker({
  eventLog,
  deliveries,
  outbox,
  registry,
  repos,
  retryBaseMs,
  concurrency = 8,
  leaseMs = 120_000,
  runBudgetMs = 5_000,
}: ChannelWorkerOptions) {
  async function send(d: ChannelDeliveryRow, message: MessageRow | undefined): Promise<Attempt | null> {
    const conversation = message && (await repos.conversations.findById(d.account_id, d.conversation_id));
    // Deleted with its conversation meanwhile: there is nobody left to tell.
    if (!message || !conversation) return null;
    const channel = await repos.channels.findById(d.account_id, d.channel_id);
    if (!channel) return { ok: false, reason: 'the channel was deleted', permanent: true, channelFault: false };
    if (channel.active !== 1) return { ok: false, reason: 'the channel is inactive', permanent: true, channelFault: false };
    const adapter = registry.adapterOf(channel.type);
    if (!adapter?.send) return { ok: false, reason: `a ${channel.type} channel cannot send`, permanent: true, channelFault: false };
    try {
      const [contact, account, attachments] = await Promise.all([
        repos.contacts.findById(d.account_id, conversation.contact_id),
        repos.accounts.findAccount(d.account_id),
        deliveries.attachmentsOf(d.account_id, d.message_id),
      ]);
      const sent = await adapter.send({ channel, conversation, contact, message, attachments, workspaceName: account?.name ?? 'Parley' });
      return { ok: true, sent };
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 1000) || 'the send failed';
      const permanent = err instanceof PermanentSendError;
      return { ok: false, reason, permanent, channelFault: !permanent };
    }
  }

  async function attempt(d: ChannelDeliveryRow, clock: () => Date): Promise<void> {
    const message = await deliveries.message(d.account_id, d.message_id);
    const result = await send(d, message);
    const at = clock();
    const iso = at.toISOString();
    await eventLog.transaction(d.account_id, async (trx, emit) => {
      if (!result) {
        await deliveries.finish(d, { status: 'failed', last_error: 'the message was deleted', next_attempt_at: null, updated_at: iso }, trx);
        return;
      }
      if (result.ok) {
        const held = await deliveries.finish(
          d,
          { status: 'sent', last_error: null, next_attempt_at: null, external_id: result.sent.externalId, sent_at: iso, updated_at: iso },
          trx,
        );
        if (!held) return;
        await outbox.settleMessage(trx, emit, d.account_id, d.message_id, { status: 'sent', error: null, attempts: d.attempts, sent_at: iso });
        await repos.channels.recordStatus(d.account_id, d.channel_id, null, iso, trx);
        return;
      }
      const final = result.permanent || d.attempts >= MAX_ATTEMPTS;
      const next = final ? null : new Date(at.getTime() + retryDelayMs(retryBaseMs, d.attempts)).toISOString();
      const held = await deliveries.finish(d, { status: final ? 'failed' : 'queued', last_error: result.reason, next_attempt_at: next, updated_at: iso }, trx);
      if (!held) return;
      await outbox.settleMessage(trx, emit, d.account_id, d.message_id, {
        status: final ? 'failed' : 'queued',
        error: result.reason,
        attempts: d.attempts,
        sent_at: null,
      });
      if (result.channelFault) await repos.channels.recordStatus(d.account_id, d.channel_id, result.reason, iso, trx);
    }, failureSource(message));
  }

  return {
    /** Sends every due delivery, `concurrency` at a time; resolves to how many attempts it made. */
    run(now?: Date): Promise<number> {
      // A failed write leaves the delivery claimed; it is retried when the lease runs out.
      return runClaimed({ now, concurrency, runBudgetMs, leaseMs, claim: deliveries.claimDue, attempt });
    },
  };
}

export type ChannelWorker = ReturnType<typeof createChannelWorker>;
