import type { AiProvider, HistoryMessage, Source } from '../../ai/provider.js';
import { collectText } from '../../ai/provider.js';
import type { Principal } from '../../shared/auth/principal.js';
import { internal, unprocessable } from '../../shared/errors/errors.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import type { ConversationsUseCases } from '../conversations/conversations.usecases.js';
import type { MessagesRepository } from './messages.repository.js';

const HISTORY_LIMIT = 20;
const TRANSCRIPT_MAX = 10_000;
const ROLE_LABELS: Record<string, string> = { user: 'Contact', assistant: 'AI', operator: 'Operator' };

/** Help for operators: a suggested reply and the conversation's transcript. Nothing is posted. */
export function createMessageAssistUseCases({
  conversations,
  messages,
  agents,
  ai,
}: {
  conversations: ConversationsUseCases;
  messages: MessagesRepository;
  agents: AgentsRepository;
  ai: AiProvider;
}) {
  return {
    /** Seed 001's AI suggestion: what the agent would answer to the contact's last message. */
    async suggestion(principal: Principal, conversationId: string): Promise<{ content: string; sources: Source[] }> {
      const conversation = await conversations.load(principal, conversationId);
      const agent = await agents.findById(principal.accountId, conversation.agent_id);
      if (!agent) throw unprocessable("The conversation's agent no longer exists");
      const history = await messages.recentHistory(principal.accountId, conversationId, Number.MAX_SAFE_INTEGER, HISTORY_LIMIT);
      const lastUser = [...history].reverse().find((m) => m.role === 'user');
      if (!lastUser) throw unprocessable('There is no message from the contact to answer yet');
      try {
        const stream = await ai.reply({
          accountId: principal.accountId,
          agent: { id: agent.id, name: agent.name, instructions: agent.instructions },
          history: history
            .filter((m) => m.id < lastUser.id)
            .map((m): HistoryMessage => ({ role: m.role as HistoryMessage['role'], content: m.content })),
          message: lastUser.content,
        });
        return { content: await collectText(stream), sources: stream.sources };
      } catch (err) {
        const failure = internal('AI suggestion failed');
        failure.cause = err;
        throw failure;
      }
    },

    /** Seed 004's transcript: what the contact saw, with each message's modality. */
    async transcript(principal: Principal, conversationId: string) {
      await conversations.load(principal, conversationId);
      const rows = await messages.allVisible(principal.accountId, conversationId, TRANSCRIPT_MAX);
      return {
        conversation_id: conversationId,
        messages: rows.map((m) => ({
          id: m.id,
          role: m.role as 'user' | 'assistant' | 'operator',
          content: m.content,
          created_at: m.created_at,
          modality: m.modality,
        })),
      };
    },
  };
}

/** A plain-text transcript: one block per message, labelled and timestamped (UTC). */
export function transcriptText(t: { conversation_id: string; messages: Array<{ role: string; content: string; created_at: string }> }): string {
  const lines = [`Conversation ${t.conversation_id}`, ''];
  for (const m of t.messages) {
    lines.push(`[${m.created_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}] ${ROLE_LABELS[m.role] ?? m.role}:`);
    lines.push(m.content, '');
  }
  return lines.join('\n');
}

export type MessageAssistUseCases = ReturnType<typeof createMessageAssistUseCases>;
