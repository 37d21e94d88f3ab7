import { parseJsonArray } from '../../shared/json/json.js';
import type { Source } from '../../ai/provider.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { presentCsat, presentHandoff } from '../conversations/conversations.presenters.js';
import type { MessageViewRow } from '../messages/messages.repository.js';

/** The conversation as its visitor sees it: no metadata, assignee, tags or notes of the team. */
export function presentVisitorConversation(row: ConversationRow, lastMessage: VisitorMessageView | null = null) {
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    title: row.title,
    created_at: row.created_at,
    updated_at: row.updated_at,
    ended_at: row.ended_at,
    last_message_at: row.last_message_at,
    handoff: presentHandoff(row),
    csat: presentCsat(row),
    team_read_message_id: row.team_read_message_id === null ? null : Number(row.team_read_message_id),
    last_message: lastMessage,
  };
}

/** Who wrote a message, as the visitor is shown it: the agent by name, an operator by first name. */
export interface Names {
  agent: string;
  members: Map<string, string>;
}

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? name;

export function presentVisitorMessage(row: MessageViewRow & { sources?: string }, names: Names) {
  const member = row.author_id ? names.members.get(row.author_id) : undefined;
  const author =
    row.role === 'user'
      ? { type: 'contact' as const, name: null }
      : row.role === 'assistant'
        ? { type: 'agent' as const, name: names.agent }
        : { type: 'member' as const, name: member ? firstName(member) : null };
  return {
    id: row.id,
    role: row.role as 'user' | 'assistant' | 'operator',
    content: row.content,
    created_at: row.created_at,
    conversation_id: row.conversation_id,
    status: row.status,
    author,
    sources: parseJsonArray<Source>(row.sources ?? '[]').map((s) => ({ title: s.title, url: s.url })),
    feedback: row.feedback_rating
      ? { rating: row.feedback_rating, comment: row.feedback_comment, created_at: row.feedback_at }
      : null,
  };
}

export type VisitorMessageView = ReturnType<typeof presentVisitorMessage>;
