import type { SystemPrincipal } from '../../shared/auth/principal.js';
import { conflict, unprocessable } from '../../shared/errors/errors.js';
import { parseJsonObject } from '../../shared/json/json.js';
import { nowIso } from '../../shared/time.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import { presentContact } from '../contacts/contacts.presenters.js';
import type { ContactRow, ContactsRepository } from '../contacts/contacts.repository.js';
import { normalizeEmail } from '../contacts/contacts.usecases.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { EventLog } from '../events/events.log.js';
import type { PostedMessage } from '../messages/messages.replies.js';
import type { MessagesUseCases, Within } from '../messages/messages.usecases.js';
import type { ChannelRow } from './channels.repository.js';

/** Who wrote, as the channel knows them. */
export interface InboundIdentity {
  email: string;
  /** A display name, given to a contact that has none yet. */
  name: string | null;
}

/** Where the message goes: an existing conversation, or a new one on the channel. */
export type InboundTarget = { conversationId: string } | { open: { title: string | null; metadata?: Record<string, unknown> } };

export interface InboundMessage {
  content: string;
  attachmentIds?: string[];
  /** Whether the agent may answer (in `ai` mode); false stores the message without a reply. */
  reply: boolean;
}

export interface ReceiveInput {
  channel: ChannelRow;
  /** The event source of the write ('email'). */
  source: SystemPrincipal['source'];
  from: InboundIdentity;
  /** The target, or a function choosing it once the contact is known (inside the write). */
  target: InboundTarget | ((contact: ContactRow) => Promise<InboundTarget>);
  /** The message, or a function making it once the conversation is known (e.g. storing its attachments). */
  message: InboundMessage | ((ctx: { contact: ContactRow; conversationId: string }) => Promise<InboundMessage>);
}

export interface Received {
  contact: ContactRow;
  conversationId: string;
  /** A conversation was opened for this message (a new thread, or the follow-up of an ended one). */
  opened: boolean;
  posted: PostedMessage;
}

/**
 * The one way a message arrives through a channel (email today; WhatsApp, Telegram and SMS
 * tomorrow): the contact found or created by address, the conversation found or opened on the
 * channel, the contact's message posted through the messages use cases (so `message.created`,
 * keywords, a snoozed conversation waking all happen as for any message) and, in `ai` mode and
 * when allowed, an AI reply queued for the replies worker; the channel's outbox sends it. All of it
 * commits in one transaction, which a channel may share (`receiveIn`) to record its own bookkeeping
 * with the message (the email's Message-ID, so a mail is never imported twice).
 */
export function createChannelReceiver({
  eventLog,
  contacts,
  agents,
  conversations,
  conversationsRepo,
  messages,
}: {
  eventLog: EventLog;
  contacts: ContactsRepository;
  agents: AgentsRepository;
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  messages: MessagesUseCases;
}) {
  /** The contact with this address (named from the display name if it has none), or a new one. */
  async function contactOf(w: Within, accountId: string, from: InboundIdentity): Promise<ContactRow> {
    const email = normalizeEmail(from.email);
    const name = from.name?.trim() || null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = nowIso();
      const inserted = await contacts.insertIfAbsent({ account_id: accountId, email, name, metadata: '{}', created_at: now, updated_at: now }, w.trx);
      if (inserted) {
        w.emit('contact.created', { contact: presentContact(inserted) });
        return inserted;
      }
      // Deleted between the insert that found it and this read (PostgreSQL): the next insert creates it.
      const existing = await contacts.findForUpdate(accountId, { email }, w.trx);
      if (!existing) continue;
      if (existing.name !== null || name === null) return existing;
      const updated = { ...existing, name, updated_at: now };
      await contacts.update(accountId, existing.id, { name, updated_at: now }, w.trx);
      w.emit('contact.updated', { contact: presentContact(updated) });
      return updated;
    }
    throw conflict('The contact with this address was being deleted; try again');
  }

  /** Who answers on the channel: its config's agent when it names one, else the account's first active agent. */
  async function agentOf(w: Within, channel: ChannelRow): Promise<string> {
    const configured = parseJsonObject(channel.config).agent_id;
    if (typeof configured === 'string' && (await agents.findShared(channel.account_id, configured, w.trx))) return configured;
    const first = await agents.firstActive(channel.account_id, w.trx);
    if (!first) throw unprocessable('The workspace has no active agent to take the conversation', { agent_id: ['no active agent'] });
    return first.id;
  }

  async function receiveIn(w: Within, input: ReceiveInput): Promise<Received> {
    const { channel } = input;
    const accountId = channel.account_id;
    const principal: SystemPrincipal = { kind: 'system', accountId, source: input.source };
    const contact = await contactOf(w, accountId, input.from);
    const target = typeof input.target === 'function' ? await input.target(contact) : input.target;
    let open = 'open' in target ? target.open : null;
    let conversationId = 'conversationId' in target ? target.conversationId : null;
    if (conversationId !== null) {
      // Locked: an end committing meanwhile is seen here, and the message goes to a new conversation.
      const current = await conversationsRepo.findForUpdate(accountId, conversationId, w.trx);
      if (!current) {
        // Deleted meanwhile: the message starts a conversation of its own.
        open = { title: null };
        conversationId = null;
      } else if (current.status !== 'active') {
        // Writing again after the end opens a new conversation that links the old one.
        open = { title: current.title, metadata: { previous_conversation_id: current.id } };
        conversationId = null;
      }
    }
    if (conversationId === null) {
      const view = await conversations.create(
        principal,
        { contact_id: contact.id, agent_id: await agentOf(w, channel), channel_id: channel.id, title: open?.title ?? undefined, metadata: open?.metadata },
        w,
      );
      conversationId = view.id;
    }
    const message = typeof input.message === 'function' ? await input.message({ contact, conversationId }) : input.message;
    // An inactive agent leaves the message unanswered rather than refusing what the contact sent.
    const reply = message.reply ? 'if_active' : false;
    const posted = await messages.postMessage(
      principal,
      conversationId,
      { content: message.content, role: 'user', async: true, reply, ...(message.attachmentIds?.length ? { attachment_ids: message.attachmentIds } : {}) },
      w,
    );
    return { contact, conversationId, opened: open !== null, posted };
  }

  return {
    receiveIn,
    /** Receives one message in its own transaction. */
    receive(input: ReceiveInput): Promise<Received> {
      return eventLog.transaction(input.channel.account_id, (trx, emit) => receiveIn({ trx, emit }, input), input.source);
    },
  };
}

export type ChannelReceiver = ReturnType<typeof createChannelReceiver>;
