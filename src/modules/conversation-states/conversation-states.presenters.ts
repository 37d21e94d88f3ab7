import type { ConversationStateRow } from './conversation-states.repository.js';

/** The custom conversation state of seed 003. */
export function presentConversationState(row: ConversationStateRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    color: row.color,
    persistent: row.persistent === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type ConversationStateView = ReturnType<typeof presentConversationState>;
