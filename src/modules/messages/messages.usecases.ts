import { sourceOf, type Principal } from '../../shared/auth/principal.js';
import { authorIdOf } from '../../shared/auth/guards.js';
import { badRequest, notFound, unprocessable } from '../../shared/errors/errors.js';
import { parseJsonArray } from '../../shared/json/json.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { Emit, EventLog } from '../events/events.log.js';
import type { Transaction } from 'kysely';
import type { DB } from '../../shared/db/schema.js';
import { findKeywords } from './keywords.js';
import { presentMessage, type MessageView } from './messages.presenters.js';
import type { MessageRow, MessagesRepository } from './messages.repository.js';
import { authorOf } from './messages.authors.js';
import { titleFrom } from '../conversations/conversations.handoff.js';
import { assignedEvent } from '../conversations/conversations.usecases.js';
import { unsnoozedEvent } from '../conversations/conversations.snooze.js';
import type { Executor } from '../../shared/db/database.js';
import { newAssistantRow, type PostedMessage, type Replies } from './messages.replies.js';
import type { AttachmentsUseCases } from '../attachments/attachments.usecases.js';

export interface NewMessageInput {
  content: string;
  role?: 'user' | 'operator' | 'note';
  modality?: 'text' | 'voice';
  /** For the AI's reply to this message only; stored with it, never shown to the contact. */
  context?: string;
  /** Queue the reply for a worker instead of writing it now (seed 003). */
  async?: boolean;
  /** Uploads of this conversation to carry (at most 10, each on no message yet); content may then be blank. */
  attachment_ids?: string[];
  /**
   * False: a user message is stored (with its events) but the agent does not answer it, as for
   * mail that must not be answered (auto-replies, the hourly cap of an email channel).
   * 'if_active': answered when the agent is active, else stored unanswered rather than refused
   * (what a channel received cannot be sent back).
   */
  reply?: boolean | 'if_active';
}

/** An event-producing transaction already under way, for a use case run as one step of a larger write. */
export interface Within {
  trx: Transaction<DB>;
  emit: Emit;
}

export type SendResult =
  | { user_message: MessageView; assistant_message: MessageView | null }
  | { message: MessageView };

export function createMessagesUseCases({
  eventLog,
  conversations,
  conversationsRepo,
  messages,
  agents,
  replies,
  attachments,
}: {
  eventLog: EventLog;
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  messages: MessagesRepository;
  agents: AgentsRepository;
  replies: Replies;
  /** Checks and links the files a message carries (attachment_ids). */
  attachments: Pick<AttachmentsUseCases, 'forMessage' | 'linkToMessage'>;
}) {
  /**
   * Validates and stores a message, the conversation's activity and the events announcing them
   * (`message.created`, and `keyword.detected` for each of the agent's keywords a user message
   * contains) in one transaction. Every refusal happens here, before anything is stored or
   * streamed. A user message in an `ai` conversation needs a reply; an async one gets its pending
   * reply queued in the same transaction, so a restart cannot lose it.
   */
  async function postMessage(principal: Principal, conversationId: string, input: NewMessageInput, within?: Within): Promise<PostedMessage> {
    const role = input.role ?? 'user';
    // A file alone is a message.
    const attachmentIds = input.attachment_ids ?? [];
    if (input.content.trim() === '' && attachmentIds.length === 0) throw badRequest('content is missing or blank', { content: ['cannot be blank'] });
    const accountId = principal.accountId;
    // Inside the caller's write when given one (inbound mail claims its Message-ID in the same transaction).
    const transaction: EventLog['transaction'] = within ? (_accountId, fn) => fn(within.trx, within.emit) : eventLog.transaction;
    return transaction(
      accountId,
      async (trx, emit) => {
        // Read (404 when not the account's) and locked inside the write, so an end (or a switch to
        // manual) that commits while this request is on its way is seen here: no message is ever
        // added after the end.
        const conversation = await conversationsRepo.findForUpdate(accountId, conversationId, trx);
        if (!conversation) throw notFound('conversation');
        if (conversation.status !== 'active') throw unprocessable('Conversation has ended', { status: ['is ended'] });
        const agent = await agents.findById(accountId, conversation.agent_id, trx);
        if (!agent) throw unprocessable("The conversation's agent no longer exists");
        const wantsReply = role === 'user' && conversation.mode === 'ai' && input.reply !== false;
        const needsReply = wantsReply && (agent.status === 'active' || input.reply !== 'if_active');
        if (needsReply && agent.status !== 'active') {
          throw unprocessable('The agent is inactive and cannot reply', { agent_id: ['is inactive'] });
        }
        const files = attachmentIds.length > 0 ? await attachments.forMessage(principal, conversation, attachmentIds, trx) : [];
        const now = nowIso();
        const message = await messages.insert(
          {
            account_id: accountId,
            conversation_id: conversation.id,
            role,
            content: input.content,
            sources: '[]',
            status: 'completed',
            error: null,
            modality: input.modality ?? 'text',
            author_id: role === 'user' ? null : authorIdOf(principal),
            ...(await authorOf(trx, principal, role, conversation)),
            context: input.context?.trim() || null,
            ...(files.length > 0 ? { attachments: JSON.stringify(files) } : {}),
            created_at: now,
            updated_at: now,
          },
          trx,
        );
        await attachments.linkToMessage(accountId, files, message.id, trx);
        let pendingReply: MessageRow | undefined;
        if (needsReply && input.async) {
          pendingReply = await messages.insert({ ...newAssistantRow(conversation, agent, 'pending', now), reply_to_id: message.id }, trx);
        }
        // A person answering takes the conversation over (unless the workspace turned that off), in
        // this same write: no AI reply is stored after it, also one already being written.
        const takeover = role === 'operator' && conversation.mode === 'ai' && (await operatorReplyTakesOver(trx, accountId));
        const assignTo = takeover && principal.kind === 'member' && conversation.assignee_id === null ? principal.memberId : null;
        if (takeover) {
          await conversationsRepo.update(accountId, conversation.id, { mode: 'manual', ...(assignTo ? { assignee_id: assignTo, team_queued_at: null } : {}) }, trx);
        }
        // Lists stop saying "Conversation of 08:49": the first question names it, unless a title was set.
        if (role === 'user' && conversation.title === null && conversation.turn_count === 0) {
          const title = titleFrom(input.content);
          if (title) await conversationsRepo.update(accountId, conversation.id, { title }, trx);
        }
        const conversationView = await conversations.touchAndPresent(accountId, conversation.id, now, role, trx);
        const messageView = presentMessage(message);
        emit('message.created', { message: messageView, conversation: conversationView });
        if (takeover) emit('conversation.mode_changed', { conversation: conversationView });
        // The contact wrote: a snoozed conversation is back (touch cleared the snooze).
        if (role === 'user' && conversation.snoozed_until !== null) {
          const { type, data } = unsnoozedEvent('contact_message');
          emit(type, { conversation: conversationView, ...data });
        }
        if (assignTo) {
          const { type, data } = assignedEvent(assignTo, conversation.team_id, 'takeover');
          emit(type, { conversation: conversationView, ...data });
        }
        if (role === 'user') {
          for (const keyword of findKeywords(input.content, parseJsonArray<string>(agent.keywords))) {
            emit('keyword.detected', { keyword, conversation: conversationView, message: messageView });
          }
        }
        return { conversation, agent, userMessage: message, needsReply, pendingReply };
      },
      sourceOf(principal),
    );
  }

  /**
   * A reply as its write committed it: in a conversation of a channel that sends (email), the
   * channel's outbox marked it queued in that write (messages.delivery), after the row was made.
   */
  async function asCommitted(posted: PostedMessage, row: MessageRow): Promise<MessageRow> {
    if (posted.conversation.channel_id === null || row.role === 'note') return row;
    return (await messages.findById(row.account_id, row.conversation_id, row.id)) ?? row;
  }

  /** The workspace's `operator_reply_takes_over` setting, read in the message's write. */
  async function operatorReplyTakesOver(trx: Executor, accountId: string): Promise<boolean> {
    const row = await trx.selectFrom('accounts').select('operator_reply_takes_over').where('id', '=', accountId).executeTakeFirst();
    return row?.operator_reply_takes_over !== 0;
  }

  /** A message of a conversation the principal may see, or 404 (notes only for members). */
  async function visibleMessage(principal: Principal, conversationId: string, messageId: number): Promise<MessageRow> {
    await conversations.load(principal, conversationId);
    const row = Number.isSafeInteger(messageId)
      ? await messages.findById(principal.accountId, conversationId, messageId)
      : undefined;
    const hidden = !row || row.role === 'system' || (row.role === 'note' && principal.kind !== 'member');
    if (hidden) throw notFound('message');
    return row;
  }

  return {
    postMessage,
    generateReply: replies.generate,

    async list(principal: Principal, conversationId: string, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['number']);
      const rows = await messages.listVisible(principal.accountId, conversationId, {
        after,
        limit,
        withNotes: principal.kind === 'member',
      });
      // Messages of the account's conversation prove it is there; only an empty page needs the
      // lookup that tells "no such conversation" (404) from "no messages (yet)".
      if (rows.length === 0) await conversations.load(principal, conversationId);
      return toPage(rows, limit, (r) => [r.id], presentMessage);
    },

    async get(principal: Principal, conversationId: string, messageId: number): Promise<MessageView> {
      return presentMessage(await visibleMessage(principal, conversationId, messageId));
    },

    /**
     * Seed 000's synchronous exchange: the user's message and the agent's complete reply (null in
     * manual mode, also when an operator takes over while it is written; pending with `async`). Operator replies and notes come back on their own.
     */
    async send(principal: Principal, conversationId: string, input: NewMessageInput): Promise<SendResult> {
      const posted = await postMessage(principal, conversationId, input);
      if ((input.role ?? 'user') !== 'user') return { message: presentMessage(await asCommitted(posted, posted.userMessage)) };
      let reply: MessageView | null = null;
      if (posted.pendingReply) reply = presentMessage(posted.pendingReply);
      else if (posted.needsReply) {
        // Null when an operator took over meanwhile: the same answer as a message sent in manual mode.
        const generated = await replies.generate(posted);
        reply = generated && presentMessage(await asCommitted(posted, generated));
      }
      return { user_message: presentMessage(posted.userMessage), assistant_message: reply };
    },

    /** Seed 003's feedback on an assistant or operator message; a null rating clears it. */
    async feedback(
      principal: Principal,
      conversationId: string,
      messageId: number,
      input: { rating: 'like' | 'dislike' | null; comment?: string | null },
    ): Promise<MessageView> {
      const row = await visibleMessage(principal, conversationId, messageId);
      if (row.role !== 'assistant' && row.role !== 'operator') {
        throw unprocessable('Feedback is for assistant and operator messages', { message_id: ['is not a reply'] });
      }
      const at = nowIso();
      const patch =
        input.rating === null
          ? { feedback_rating: null, feedback_comment: null, feedback_at: null }
          : { feedback_rating: input.rating, feedback_comment: input.comment ?? null, feedback_at: at };
      return eventLog.transaction(
        principal.accountId,
        async (trx, emit) => {
          if (!(await messages.update(principal.accountId, row.id, { ...patch, updated_at: at }, trx))) throw notFound('message');
          const view = presentMessage({ ...row, ...patch });
          emit('message.feedback', { message: view });
          return view;
        },
        sourceOf(principal),
      );
    },
  };
}

export type MessagesUseCases = ReturnType<typeof createMessagesUseCases>;
