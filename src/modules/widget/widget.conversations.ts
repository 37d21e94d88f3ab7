import type { SystemPrincipal } from '../../shared/auth/principal.js';
import { badRequest, notFound, unprocessable } from '../../shared/errors/errors.js';
import { parseJsonObject } from '../../shared/json/json.js';
import type { ContactsRepository } from '../contacts/contacts.repository.js';
import type { VisitorInfo } from '../conversations/conversations.usecases.js';
import type { EventRow } from '../events/events.repository.js';
import type { EventLog } from '../events/events.log.js';
import { presentContact } from '../contacts/contacts.presenters.js';
import { nowIso } from '../../shared/time.js';
import type { ReplySignals } from '../events/reply-signals.js';
import type { MessagesRepository } from '../messages/messages.repository.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import type { ConversationRow, ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { MessageRow } from '../messages/messages.repository.js';
import type { MessagesUseCases } from '../messages/messages.usecases.js';
import type { WidgetConfig } from './widget.config.js';
import { presentVisitorConversation, presentVisitorMessage } from './widget.presenters.js';
import type { WidgetRepository } from './widget.repository.js';
import type { Visitor } from './widget.sessions.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The site's attributes kept on a conversation, as JSON. */
const MAX_ATTRIBUTES_BYTES = 4096;
const VISIBLE_ROLES = new Set(['user', 'assistant', 'operator']);
const HANDOFF_REASON = 'The visitor asked for a person in the chat widget';

/** "Chrome 120 on macOS": what an operator needs of a User-Agent, or null. */
export function browserOf(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 500);
  const version = (re: RegExp) => re.exec(ua)?.[1] ?? '';
  const browser = /Edg\//.test(ua)
    ? `Edge ${version(/Edg\/(\d+)/)}`
    : /OPR\//.test(ua)
      ? `Opera ${version(/OPR\/(\d+)/)}`
      : /Firefox\//.test(ua)
        ? `Firefox ${version(/Firefox\/(\d+)/)}`
        : /(Chrome|Chromium|CriOS)\//.test(ua)
          ? `Chrome ${version(/(?:Chrome|Chromium|CriOS)\/(\d+)/)}`
          : /Safari\//.test(ua)
            ? `Safari ${version(/Version\/(\d+)/)}`
            : null;
  const os = /iPhone|iPad|iPod/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  if (!browser) return os;
  return `${browser.trim()}${os ? ` on ${os}` : ''}`;
}

/** The first language of an Accept-Language header ("de-CH"), or null. */
export function localeOf(value: string | undefined): string | null {
  const tag = value?.split(',')[0]?.split(';')[0]?.trim();
  return tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(tag) ? tag : null;
}

/** The pre-chat answers, checked against the form (422 naming each field); the form's own fields only. */
export function checkPreChat(form: WidgetConfig['pre_chat'], answers: Record<string, string> = {}): Record<string, string> {
  if (!form.enabled) return {};
  const problems: Record<string, string[]> = {};
  const fields = new Map(form.fields.map((f) => [f.name, f]));
  for (const key of Object.keys(answers)) if (!fields.has(key) && !(key === 'email' && form.require_email)) problems[key] = ['is not a field of this form'];
  const kept: Record<string, string> = {};
  for (const field of form.fields) {
    const value = (answers[field.name] ?? '').trim();
    if (value === '') {
      if (field.required) problems[field.name] = ['is required'];
      continue;
    }
    if (field.type === 'email' && !EMAIL.test(value)) problems[field.name] = ['must be an email address'];
    else if (field.type === 'select' && !field.options?.includes(value)) problems[field.name] = ['must be one of the choices'];
    else kept[field.name] = value;
  }
  if (form.require_email) {
    // The form's email field when it has one, else an `email` answer of its own.
    const field = form.fields.find((f) => f.type === 'email');
    const email = field ? kept[field.name] : (answers.email ?? '').trim();
    if (!email || !EMAIL.test(email)) problems[field?.name ?? 'email'] ??= ['is required: an email address to reply to'];
    else if (!field) kept.email = email;
  }
  if (Object.keys(problems).length > 0) throw unprocessable('The form is not complete', problems);
  return kept;
}

/**
 * What a widget visitor does in its conversations. Each goes through the same use cases as the
 * API (a conversation is created, a message posted and answered the one way), acting as the
 * widget (`source: widget` on its events); the visitor sees only its own conversations of the
 * widget's channel (anything else is 404) and only what the contact may see of them.
 */
export function createWidgetConversations({
  conversations,
  conversationsRepo,
  messages,
  widget,
  messagesRepo,
  contacts,
  signals,
  eventLog,
}: {
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  messages: MessagesUseCases;
  widget: WidgetRepository;
  messagesRepo: MessagesRepository;
  contacts: ContactsRepository;
  signals: ReplySignals;
  eventLog: EventLog;
}) {
  const principalOf = (v: Visitor): SystemPrincipal => ({ kind: 'system', accountId: v.session.account_id, source: 'widget' });

  async function own(v: Visitor, id: string): Promise<ConversationRow> {
    const row = await conversationsRepo.findById(v.session.account_id, id);
    if (!row || row.contact_id !== v.session.contact_id || row.channel_id !== v.channel.id) throw notFound('conversation');
    return row;
  }

  /** Conversations as the visitor sees them, each with its last message (one query for the page). */
  async function presentAll(v: Visitor, rows: ConversationRow[]) {
    const last = await messagesRepo.recentFor(v.session.account_id, rows.map((r) => r.id), 1, false);
    return rows.map((r) => {
      const message = last.get(r.id)?.[0];
      return presentVisitorConversation(r, message ? presentVisitorMessage(message) : null);
    });
  }

  const presentOne = async (v: Visitor, row: ConversationRow) => (await presentAll(v, [row]))[0];

  return {
    own,

    async list(v: Visitor, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await widget.listConversations(v.session.account_id, v.session.contact_id, v.channel.id, { after, limit });
      const page = toPage(rows, limit, (r) => [r.created_at, r.id], (r) => r);
      return { items: await presentAll(v, page.items), pagination: page.pagination };
    },

    /**
     * A new conversation with the widget's agent. The pre-chat answers are kept in its metadata;
     * the page, language, browser and the site's attributes as its `visitor`, for the team.
     */
    async create(
      v: Visitor,
      input: { pre_chat?: Record<string, string>; page_url?: string; locale?: string; attributes?: Record<string, unknown> },
      request: { userAgent?: string; acceptLanguage?: string },
    ) {
      const answers = checkPreChat(v.config.pre_chat, input.pre_chat);
      const attributes = input.attributes ?? {};
      if (JSON.stringify(attributes).length > MAX_ATTRIBUTES_BYTES) {
        throw badRequest('attributes are too large', { attributes: [`must be at most ${MAX_ATTRIBUTES_BYTES} bytes as JSON`] });
      }
      const visitor: VisitorInfo = {
        page_url: input.page_url ?? null,
        locale: localeOf(input.locale) ?? localeOf(request.acceptLanguage),
        browser: browserOf(request.userAgent),
        attributes,
      };
      const view = await conversations.create(principalOf(v), {
        contact_id: v.session.contact_id,
        agent_id: v.config.agent_id,
        channel_id: v.channel.id,
        metadata: Object.keys(answers).length ? { widget: { pre_chat: answers } } : {},
        visitor,
      });
      return presentOne(v, await own(v, view.id));
    },

    /**
     * "Talk to a person": the conversation goes to the team (manual mode, no AI reply follows).
     * An email left for the answer (the team is away) is kept as the contact's claimed email: a
     * claim, never an identity, and never over an email the business set.
     */
    async handoff(v: Visitor, id: string, input: { email?: string }) {
      await own(v, id);
      const email = input.email?.trim().toLowerCase();
      if (email) {
        const accountId = v.session.account_id;
        await eventLog.transaction(
          accountId,
          async (trx, emit) => {
            const contact = await contacts.findById(accountId, v.session.contact_id, trx);
            if (!contact || contact.email !== null || contact.claimed_email === email) return;
            const updated = { ...contact, claimed_email: email, updated_at: nowIso() };
            await contacts.update(accountId, contact.id, { claimed_email: email, updated_at: updated.updated_at }, trx);
            emit('contact.updated', { contact: presentContact(updated) });
          },
          'widget',
        );
      }
      await conversations.handoff(principalOf(v), id, { source: 'visitor', reason: HANDOFF_REASON });
      return presentOne(v, await own(v, id));
    },

    /** The visitor's rating of an ended conversation (once). */
    async rate(v: Visitor, id: string, input: { rating: number; comment?: string }) {
      await own(v, id);
      const comment = input.comment?.trim() || null;
      await conversations.rate(principalOf(v), id, { rating: input.rating, comment });
      return presentOne(v, await own(v, id));
    },

    async read(v: Visitor, id: string, messageId: number): Promise<void> {
      await own(v, id);
      await conversations.contactRead(principalOf(v), id, messageId);
    },

    /** The visitor is typing (or stopped): a live notice for the team, not stored. */
    async typing(v: Visitor, id: string, typing: boolean): Promise<void> {
      const row = await own(v, id);
      if (row.status !== 'active') return;
      const contact = await contacts.findById(v.session.account_id, v.session.contact_id);
      signals.publish(v.session.account_id, {
        type: 'typing',
        data: { conversation_id: id, typing, actor: { type: 'contact', id: v.session.contact_id, name: contact?.name ?? null } },
      });
    },

    /**
     * A logged event of the visitor's conversation as its stream shows it: the message as the
     * visitor sees it, the conversation after a change, how far the team has read. Null for what
     * the visitor does not see (a reply still being written is not `completed`).
     */
    async liveEvent(v: Visitor, id: string, row: EventRow): Promise<{ event: string; data: unknown } | null> {
      const data = parseJsonObject(row.data) as { message?: { id?: number }; reader?: string; message_id?: number };
      if (row.type === 'message.created') {
        const messageId = Number(data.message?.id);
        if (!Number.isSafeInteger(messageId)) return null;
        const message = await messagesRepo.findById(v.session.account_id, id, messageId);
        if (!message || !VISIBLE_ROLES.has(message.role) || message.status !== 'completed') return null;
        return { event: 'message.created', data: presentVisitorMessage(message) };
      }
      if (row.type === 'conversation.read') return { event: 'read', data: { reader: data.reader, message_id: data.message_id } };
      const conversation = await conversationsRepo.findById(v.session.account_id, id);
      return conversation ? { event: 'conversation.updated', data: await presentOne(v, conversation) } : null;
    },

    async listMessages(v: Visitor, id: string, query: { cursor?: string; limit?: number }) {
      await own(v, id);
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, ['number']);
      const rows = await widget.listMessages(v.session.account_id, id, { after, limit });
      return toPage(rows, limit, (r) => [r.id], presentVisitorMessage);
    },

    /** The visitor's message and the agent's reply (null once a person has taken over). */
    async send(v: Visitor, id: string, input: { content: string; attachment_ids?: string[] }) {
      await own(v, id);
      const posted = await messages.postMessage(principalOf(v), id, { content: input.content, attachment_ids: input.attachment_ids });
      const reply = posted.needsReply ? await messages.generateReply(posted) : null;
      return {
        user_message: presentVisitorMessage(posted.userMessage),
        assistant_message: reply && presentVisitorMessage(reply),
      };
    },

    /** For a streamed exchange: the visitor's principal, the conversation checked, and how to show its messages. */
    async streaming(v: Visitor, id: string) {
      await own(v, id);
      return { principal: principalOf(v), present: (row: MessageRow) => presentVisitorMessage(row) };
    },

    /** Thumbs up or down on a reply of the visitor's own conversation. */
    async feedback(v: Visitor, id: string, messageId: number, input: { rating: 'like' | 'dislike' | null; comment?: string | null }) {
      await own(v, id);
      const view = await messages.feedback(principalOf(v), id, messageId, input);
      const rows = await widget.listMessages(v.session.account_id, id, { after: [messageId - 1], limit: 1 });
      const row = rows.find((r) => r.id === view.id);
      if (!row) throw notFound('message');
      return presentVisitorMessage(row);
    },
  };
}

export type WidgetConversations = ReturnType<typeof createWidgetConversations>;
