import type { AiProvider, HistoryMessage } from '../../ai/provider.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { Database } from '../../shared/db/database.js';
import { badRequest, internal, notFound, unprocessable } from '../../shared/errors/errors.js';
import { authorIdOf } from '../../shared/auth/guards.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { AgentRow, AgentsRepository } from '../agents/agents.repository.js';
import type { ConversationRow, ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import { presentMessage, type MessageView } from './messages.presenters.js';
import type { MessageRow, MessagesRepository } from './messages.repository.js';

/** How many earlier messages an AI reply sees. */
const HISTORY_LIMIT = 20;

/** A stored message and whether the agent should answer it. */
export interface PostedMessage {
  conversation: ConversationRow;
  agent: AgentRow;
  userMessage: MessageRow;
  needsReply: boolean;
}

export interface NewMessageInput {
  content: string;
  role?: 'user' | 'operator' | 'note';
  modality?: 'text' | 'voice';
}

export interface ReplyHooks {
  /** The assistant message exists (status streaming) and text is about to flow. */
  onStart(message: MessageRow): void;
  onDelta(text: string): void;
}

export function createMessagesUseCases({
  database,
  conversations,
  conversationsRepo,
  messages,
  agents,
  ai,
}: {
  database: Database;
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  messages: MessagesRepository;
  agents: AgentsRepository;
  ai: AiProvider;
}) {
  /**
   * Validates and stores a message (with the conversation's activity) in one transaction. Every
   * refusal happens here, before anything is stored or streamed. A user message in an `ai`
   * conversation needs a reply; operator replies, notes and messages in `manual` mode do not.
   */
  async function postMessage(principal: Principal, conversationId: string, input: NewMessageInput): Promise<PostedMessage> {
    const role = input.role ?? 'user';
    if (input.content.trim() === '') throw badRequest('content is missing or blank', { content: ['cannot be blank'] });
    const conversation = await conversations.load(principal, conversationId);
    if (conversation.status !== 'active') {
      throw unprocessable('Conversation has ended', { status: ['is ended'] });
    }
    const agent = await agents.findById(principal.accountId, conversation.agent_id);
    if (!agent) throw unprocessable("The conversation's agent no longer exists");
    const needsReply = role === 'user' && conversation.mode === 'ai';
    if (needsReply && agent.status !== 'active') {
      throw unprocessable('The agent is inactive and cannot reply', { agent_id: ['is inactive'] });
    }
    const message = await database.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = await messages.insert(
        {
          account_id: principal.accountId,
          conversation_id: conversation.id,
          role,
          content: input.content,
          sources: '[]',
          status: 'completed',
          error: null,
          modality: input.modality ?? 'text',
          author_id: role === 'user' ? null : authorIdOf(principal),
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      await conversationsRepo.touch(principal.accountId, conversation.id, now, role === 'user', trx);
      return row;
    });
    return { conversation, agent, userMessage: message, needsReply };
  }

  /**
   * Produces and stores the agent's reply. With hooks (streaming) the assistant message is created
   * first so its id can be announced; without, it is written once, complete. On failure the reply
   * is marked failed with no partial text, and a 500 names the kept user message.
   */
  async function generateReply(posted: PostedMessage, hooks?: ReplyHooks): Promise<MessageRow> {
    const { conversation, agent, userMessage } = posted;
    const accountId = conversation.account_id;
    const startedAt = nowIso();
    let row: MessageRow | undefined;
    if (hooks) {
      row = await messages.insert({
        account_id: accountId,
        conversation_id: conversation.id,
        role: 'assistant',
        content: '',
        sources: '[]',
        status: 'streaming',
        error: null,
        modality: 'text',
        author_id: null,
        created_at: startedAt,
        updated_at: startedAt,
      });
      hooks.onStart(row);
    }
    try {
      const history = await messages.recentHistory(accountId, conversation.id, userMessage.id, HISTORY_LIMIT);
      const stream = await ai.reply({
        accountId,
        agent: { id: agent.id, name: agent.name, instructions: agent.instructions },
        history: history.map((m): HistoryMessage => ({ role: m.role as HistoryMessage['role'], content: m.content })),
        message: userMessage.content,
      });
      let text = '';
      for await (const delta of stream.text) {
        if (!delta) continue;
        text += delta;
        hooks?.onDelta(delta);
      }
      if (text.trim() === '') throw new Error('the provider returned an empty reply');
      const done = nowIso();
      const sources = JSON.stringify(stream.sources);
      const final = await database.db.transaction().execute(async (trx) => {
        let stored: MessageRow;
        if (row) {
          await messages.update(accountId, row.id, { content: text, sources, status: 'completed', updated_at: done }, trx);
          stored = { ...row, content: text, sources, status: 'completed', updated_at: done };
        } else {
          stored = await messages.insert(
            {
              account_id: accountId,
              conversation_id: conversation.id,
              role: 'assistant',
              content: text,
              sources,
              status: 'completed',
              error: null,
              modality: 'text',
              author_id: null,
              created_at: startedAt,
              updated_at: done,
            },
            trx,
          );
        }
        await conversationsRepo.touch(accountId, conversation.id, done, false, trx);
        return stored;
      });
      return final;
    } catch (err) {
      if (row) {
        const reason = err instanceof Error ? err.message.slice(0, 500) : 'generation failed';
        await messages
          .update(accountId, row.id, { content: '', status: 'failed', error: reason, updated_at: nowIso() })
          .catch(() => {});
      }
      // The provider's own words stay in the log (error handler), not in the response.
      const failure = internal('AI response generation failed', { user_message_id: userMessage.id });
      failure.cause = err;
      throw failure;
    }
  }

  return {
    postMessage,
    generateReply,

    async list(principal: Principal, conversationId: string, query: { cursor?: string; limit?: number }) {
      await conversations.load(principal, conversationId);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['number']);
      const rows = await messages.listVisible(principal.accountId, conversationId, {
        after,
        limit,
        withNotes: principal.kind === 'member',
      });
      return toPage(rows, limit, (r) => [r.id], presentMessage);
    },

    async get(principal: Principal, conversationId: string, messageId: number): Promise<MessageView> {
      return presentMessage(await visibleMessage(principal, conversationId, messageId));
    },

    /**
     * Seed 000's synchronous exchange: the user's message and the agent's complete reply (null in
     * manual mode). Operator replies and notes come back on their own.
     */
    async send(principal: Principal, conversationId: string, input: NewMessageInput): Promise<SendResult> {
      const posted = await postMessage(principal, conversationId, input);
      if ((input.role ?? 'user') !== 'user') return { message: presentMessage(posted.userMessage) };
      const reply = posted.needsReply ? presentMessage(await generateReply(posted)) : null;
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
      await messages.update(principal.accountId, row.id, { ...patch, updated_at: at });
      return presentMessage({ ...row, ...patch, updated_at: at });
    },
  };

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
}

export type SendResult =
  | { user_message: MessageView; assistant_message: MessageView | null }
  | { message: MessageView };

export type MessagesUseCases = ReturnType<typeof createMessagesUseCases>;
