import { parseJsonArray } from '../../shared/json/json.js';
import type { Source } from '../../ai/provider.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { presentCsat, presentHandoff } from '../conversations/conversations.presenters.js';
import type { MessageViewRow } from '../messages/messages.repository.js';
import { presentAttachments } from '../messages/messages.presenters.js';

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

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? name;

/**
 * Who wrote a message, as the visitor is shown it: the agent by name, a member by first name; an
 * integration's key or an automation speaks for the team without a name of its own.
 */
export function visitorAuthor(row: Pick<MessageViewRow, 'role' | 'author_type' | 'author_name'>) {
  if (row.role === 'user') return { type: 'contact' as const, name: null };
  if (row.role === 'assistant') return { type: 'agent' as const, name: row.author_name };
  return { type: 'member' as const, name: row.author_type === 'member' && row.author_name ? firstName(row.author_name) : null };
}

export function presentVisitorMessage(row: MessageViewRow & { sources?: string }) {
  const author = visitorAuthor(row);
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
    attachments: presentAttachments(row.attachments),
  };
}

export type VisitorMessageView = ReturnType<typeof presentVisitorMessage>;
