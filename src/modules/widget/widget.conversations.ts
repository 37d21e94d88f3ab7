import type { SystemPrincipal } from '../../shared/auth/principal.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { ConversationRow, ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { MessageRow } from '../messages/messages.repository.js';
import type { MessagesUseCases } from '../messages/messages.usecases.js';
import type { WidgetConfig } from './widget.config.js';
import { presentVisitorConversation, presentVisitorMessage, type Names } from './widget.presenters.js';
import type { WidgetRepository } from './widget.repository.js';
import type { Visitor } from './widget.sessions.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
  agents,
  widget,
}: {
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  messages: MessagesUseCases;
  agents: AgentsRepository;
  widget: WidgetRepository;
}) {
  const principalOf = (v: Visitor): SystemPrincipal => ({ kind: 'system', accountId: v.session.account_id, source: 'widget' });

  async function own(v: Visitor, id: string): Promise<ConversationRow> {
    const row = await conversationsRepo.findById(v.session.account_id, id);
    if (!row || row.contact_id !== v.session.contact_id || row.channel_id !== v.channel.id) throw notFound('conversation');
    return row;
  }

  async function namesFor(v: Visitor, agentId: string, rows: Array<{ author_id: string | null }>): Promise<Names> {
    const agent = await agents.findById(v.session.account_id, agentId);
    const ids = [...new Set(rows.map((r) => r.author_id).filter((id): id is string => id !== null))];
    return { agent: agent?.name ?? 'Assistant', members: await widget.memberNames(v.session.account_id, ids) };
  }

  return {
    own,

    async list(v: Visitor, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await widget.listConversations(v.session.account_id, v.session.contact_id, v.channel.id, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentVisitorConversation);
    },

    /** A new conversation with the widget's agent; the pre-chat answers and the page are kept in its metadata for the team. */
    async create(v: Visitor, input: { pre_chat?: Record<string, string>; page_url?: string }) {
      const answers = checkPreChat(v.config.pre_chat, input.pre_chat);
      const widgetInfo = { ...(Object.keys(answers).length ? { pre_chat: answers } : {}), ...(input.page_url ? { page_url: input.page_url } : {}) };
      const view = await conversations.create(principalOf(v), {
        contact_id: v.session.contact_id,
        agent_id: v.config.agent_id,
        channel_id: v.channel.id,
        metadata: Object.keys(widgetInfo).length ? { widget: widgetInfo } : {},
      });
      return presentVisitorConversation(await own(v, view.id));
    },

    async listMessages(v: Visitor, id: string, query: { cursor?: string; limit?: number }) {
      const conversation = await own(v, id);
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, ['number']);
      const rows = await widget.listMessages(v.session.account_id, id, { after, limit });
      const names = await namesFor(v, conversation.agent_id, rows);
      return toPage(rows, limit, (r) => [r.id], (r) => presentVisitorMessage(r, names));
    },

    /** The visitor's message and the agent's reply (null once a person has taken over). */
    async send(v: Visitor, id: string, content: string) {
      const conversation = await own(v, id);
      const posted = await messages.postMessage(principalOf(v), id, { content });
      const reply = posted.needsReply ? await messages.generateReply(posted) : null;
      const names = await namesFor(v, conversation.agent_id, []);
      return {
        user_message: presentVisitorMessage(posted.userMessage, names),
        assistant_message: reply && presentVisitorMessage(reply, names),
      };
    },

    /** For a streamed exchange: the visitor's principal, the conversation checked, and how to show its messages. */
    async streaming(v: Visitor, id: string) {
      const conversation = await own(v, id);
      const names = await namesFor(v, conversation.agent_id, []);
      return { principal: principalOf(v), present: (row: MessageRow) => presentVisitorMessage(row, names) };
    },

    /** Thumbs up or down on a reply of the visitor's own conversation. */
    async feedback(v: Visitor, id: string, messageId: number, input: { rating: 'like' | 'dislike' | null; comment?: string | null }) {
      const conversation = await own(v, id);
      const view = await messages.feedback(principalOf(v), id, messageId, input);
      const rows = await widget.listMessages(v.session.account_id, id, { after: [messageId - 1], limit: 1 });
      const row = rows.find((r) => r.id === view.id);
      if (!row) throw notFound('message');
      return presentVisitorMessage(row, await namesFor(v, conversation.agent_id, [row]));
    },
  };
}

export type WidgetConversations = ReturnType<typeof createWidgetConversations>;
