import { parseJsonObject } from '../../shared/json/json.js';
import type { ConversationRow } from './conversations.repository.js';

/** The conversation as seed 000 shows it. */
export function presentConversation(row: ConversationRow) {
  return {
    id: row.id,
    contact_id: row.contact_id,
    status: row.status,
    metadata: parseJsonObject(row.metadata),
    ended_at: row.ended_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type ConversationView = ReturnType<typeof presentConversation>;
