import type { MessageViewRow } from './messages.repository.js';

export type VisibleRole = 'user' | 'assistant' | 'operator' | 'note';

/**
 * The message: seed 000's id, role, content and created_at, then modality (seed 004), the member
 * who wrote it, feedback (seed 003) and the reply's status. System messages are never presented.
 */
export function presentMessage(row: MessageViewRow) {
  return {
    id: row.id,
    role: row.role as VisibleRole,
    content: row.content,
    created_at: row.created_at,
    conversation_id: row.conversation_id,
    modality: row.modality,
    author_id: row.author_id,
    status: row.status,
    error: row.status === 'failed' ? 'AI response generation failed' : null,
    feedback: row.feedback_rating
      ? { rating: row.feedback_rating, comment: row.feedback_comment, created_at: row.feedback_at }
      : null,
  };
}

export type MessageView = ReturnType<typeof presentMessage>;
