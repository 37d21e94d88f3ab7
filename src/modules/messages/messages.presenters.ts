import type { MessageRow } from './messages.repository.js';

export type VisibleRole = 'user' | 'assistant' | 'operator' | 'note';

/** The message as seed 000 shows it. System messages are internal and never presented. */
export function presentMessage(row: MessageRow) {
  return {
    id: row.id,
    role: row.role as VisibleRole,
    content: row.content,
    created_at: row.created_at,
  };
}

export type MessageView = ReturnType<typeof presentMessage>;
