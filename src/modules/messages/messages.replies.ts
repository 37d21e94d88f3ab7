import type { AiProvider, HistoryMessage } from '../../ai/provider.js';
import { internal, notFound } from '../../shared/errors/errors.js';
import { nowIso } from '../../shared/time.js';
import type { AgentRow, AgentsRepository } from '../agents/agents.repository.js';
import type { ConversationRow, ConversationsRepository } from '../conversations/conversations.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { EventLog } from '../events/events.log.js';
import type { ReplySignals } from '../events/reply-signals.js';
import { agentAuthor } from './messages.authors.js';
import { titleFrom } from '../conversations/conversations.handoff.js';
import { HANDOFF_ASKED_TEXT as HANDOFF_ACKNOWLEDGEMENT } from '../../ai/builtin/handoff.js';
import { presentMessage, TAKEN_OVER, withFileNames } from './messages.presenters.js';
import type { MessageRow, MessagesRepository } from './messages.repository.js';

/** How many earlier messages an AI reply sees. */
const HISTORY_LIMIT = 20;
/** How long a worker holds an asynchronous reply before another may take it over. */
const REPLY_LEASE_MS = 120_000;

/** A stored message and whether the agent should answer it. */
export interface PostedMessage {
  conversation: ConversationRow;
  agent: AgentRow;
  userMessage: MessageRow;
  needsReply: boolean;
  /** The pending assistant message queued with it (async replies). */
  pendingReply?: MessageRow;
}

export interface ReplyHooks {
  /** The assistant message exists (status streaming) and text is about to flow. */
  onStart(message: MessageRow): void;
  onDelta(text: string): void;
}

/** Writing the agent's replies: now (sync, streamed) or later by a worker (async). */
export function createReplies({
  eventLog,
  conversations,
  conversationsRepo,
  messages,
  agents,
  ai,
  signals,
}: {
  eventLog: EventLog;
  conversations: ConversationsUseCases;
  conversationsRepo: ConversationsRepository;
  messages: MessagesRepository;
  agents: AgentsRepository;
  ai: AiProvider;
  /** Where the inbox hears about replies while they are written (reply.delta); optional for tests. */
  signals?: ReplySignals;
}) {
  /**
   * Produces and stores the agent's reply to `posted`. Streaming creates the assistant message
   * first so its id can be announced; an async reply fills its pending message; otherwise the
   * reply is written once, complete. The stored reply and its `message.created` event commit
   * together. On failure the reply is marked failed with no partial text, and a 500 names the
   * kept user message.
   *
   * Null: an operator switched the conversation to `manual` while the reply was being written.
   * The mode is read, locked, in the reply's own write, so once the switch has committed no AI
   * reply is stored or announced after it; a streaming or pending row is marked failed
   * (`TAKEN_OVER`), and no reply is stored at all for a synchronous one.
   */
  /** The model's title for a new conversation; the first message's words stay when it fails. */
  async function retitle(conversation: ConversationRow, question: string, answer: string): Promise<void> {
    const from = titleFrom(question);
    if (!from || !ai.write) return;
    try {
      const to = await ai.write({ task: 'title', transcript: [{ role: 'user', content: question }, { role: 'assistant', content: answer }] });
      if (to && to !== from) await conversations.retitle(conversation.account_id, conversation.id, from, to);
    } catch {
      // Keeps the first message's words.
    }
  }

  async function generate(posted: PostedMessage, hooks?: ReplyHooks): Promise<MessageRow | null> {
    const { conversation, agent, userMessage } = posted;
    const accountId = conversation.account_id;
    const startedAt = nowIso();
    let row = posted.pendingReply;
    try {
      if (hooks) {
        // Inside the try: a conversation deleted since its message was stored is the 404 below.
        row = await messages.insert(newAssistantRow(conversation, agent, 'streaming', startedAt));
        hooks.onStart(row);
      }
      const history = await messages.recentHistory(accountId, conversation.id, userMessage.id, HISTORY_LIMIT);
      const stream = await ai.reply({
        accountId,
        agent: { id: agent.id, name: agent.name, instructions: agent.instructions, handoff_after_declines: agent.handoff_after_declines },
        history: history.map((m): HistoryMessage => ({ role: m.role as HistoryMessage['role'], content: withFileNames(m.content, m.attachments) })),
        message: withFileNames(userMessage.content, userMessage.attachments),
        context: userMessage.context,
      });
      let text = '';
      const signal = (data: { content?: string; status?: 'completed' | 'failed' }) =>
        signals?.publish(accountId, {
          type: data.status ? 'reply.finished' : 'reply.delta',
          data: { conversation_id: conversation.id, message_id: row?.id ?? null, ...data },
        });
      for await (const delta of stream.text) {
        if (!delta) continue;
        text += delta;
        hooks?.onDelta(delta);
        signal({ content: text });
      }
      if (text.trim() === '') {
        // A model may only call for a person, saying nothing: the customer still gets a word.
        if (!stream.handoff?.()) throw new Error('the provider returned an empty reply');
        text = HANDOFF_ACKNOWLEDGEMENT;
        hooks?.onDelta(text);
        signal({ content: text });
      }
      const done = nowIso();
      const sources = JSON.stringify(stream.sources);
      const stored = await eventLog.transaction(accountId, async (trx, emit): Promise<MessageRow | null> => {
        const current = await conversationsRepo.findForUpdate(accountId, conversation.id, trx);
        if (!current) throw notFound('conversation');
        if (current.mode === 'manual') {
          if (row) await messages.fail(accountId, row.id, TAKEN_OVER, done, trx);
          return null;
        }
        let stored: MessageRow;
        if (row) {
          // Completing only an unfinished row: a reply taken over after a lease ran out is stored once.
          if (!(await messages.complete(accountId, row.id, { content: text, sources, updated_at: done }, trx))) return row;
          stored = { ...row, content: text, sources, status: 'completed', error: null, updated_at: done };
        } else {
          stored = await messages.insert({ ...newAssistantRow(conversation, agent, 'completed', startedAt), content: text, sources, updated_at: done }, trx);
        }
        emit('message.created', {
          message: presentMessage(stored),
          conversation: await conversations.touchAndPresent(accountId, conversation.id, done, 'assistant', trx),
        });
        return stored;
      });
      signal({ status: stored ? 'completed' : 'failed' });
      // With an LLM, the first exchange gets a written title in place of the first message's words.
      if (stored && conversation.turn_count === 0 && conversation.title === null && ai.write) void retitle(conversation, userMessage.content, text);
      // The agent asks for a person: the conversation is handed over right after its reply.
      const handoff = stored ? stream.handoff?.() : null;
      if (handoff) {
        const handingOver = conversations
          .handoff({ kind: 'system', accountId, source: 'ai' }, conversation.id, { source: 'ai', reason: handoff.reason })
          .catch(() => {
            // Ended or taken over meanwhile: a person has it already, or nobody needs one.
          });
        // Without a model to write the note it is done in a moment, and the answer can say so; a
        // model writing it would hold the reply's answer (and its stream.end) for seconds.
        if (!ai.write) await handingOver;
      }
      return stored;
    } catch (err) {
      signals?.publish(accountId, {
        type: 'reply.finished',
        data: { conversation_id: conversation.id, message_id: row?.id ?? null, status: 'failed' },
      });
      if (row) {
        const reason = err instanceof Error ? err.message : 'generation failed';
        await messages.fail(accountId, row.id, reason, nowIso()).catch(() => {});
      }
      // The conversation was deleted while its reply was being written (its messages went with
      // it): that is the caller's 404, not a failure of the provider.
      if (!(await conversationsRepo.findById(accountId, conversation.id).catch(() => true))) throw notFound('conversation');
      // The provider's own words stay in the log (error handler), not in the response.
      const failure = internal('AI response generation failed', { user_message_id: userMessage.id });
      failure.cause = err;
      throw failure;
    }
  }

  return {
    generate,

    /**
     * Takes pending asynchronous replies (its own, or ones whose worker died) and writes them.
     * Returns how many it finished; failures are stored on the message as `failed`.
     */
    async processPending(limit = 10): Promise<number> {
      const now = Date.now();
      const claimed = await messages.claimPending(new Date(now).toISOString(), new Date(now + REPLY_LEASE_MS).toISOString(), limit);
      let done = 0;
      for (const row of claimed) {
        const conversation = await conversationsRepo.findById(row.account_id, row.conversation_id);
        const agent = conversation && (await agents.findById(row.account_id, conversation.agent_id));
        const userMessage =
          conversation && row.reply_to_id !== null
            ? await messages.findById(row.account_id, conversation.id, row.reply_to_id)
            : undefined;
        if (!conversation || !agent || !userMessage) {
          await messages.fail(row.account_id, row.id, 'conversation or message gone', nowIso());
          continue;
        }
        if (conversation.mode === 'manual') {
          // Taken over before a worker got to it: the provider is not asked at all.
          await messages.fail(row.account_id, row.id, TAKEN_OVER, nowIso());
          continue;
        }
        try {
          if (await generate({ conversation, agent, userMessage, needsReply: true, pendingReply: row })) done++;
        } catch {
          // Marked failed by generate; the next pending reply still gets its turn.
        }
      }
      return done;
    },
  };
}

export type Replies = ReturnType<typeof createReplies>;

export function newAssistantRow(conversation: ConversationRow, agent: Pick<AgentRow, 'id' | 'name'>, status: MessageRow['status'], at: string) {
  return {
    ...agentAuthor(agent),
    account_id: conversation.account_id,
    conversation_id: conversation.id,
    role: 'assistant' as const,
    content: '',
    sources: '[]',
    status,
    error: null,
    modality: 'text' as const,
    author_id: null,
    created_at: at,
    updated_at: at,
  };
}
