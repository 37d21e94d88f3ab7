import { parseJsonObject } from '../../shared/json/json.js';
import type { MessageView } from '../messages/messages.presenters.js';
import type { ConversationRow } from './conversations.repository.js';

/**
 * The conversation: seed 000's fields, then what seeds 001–004 add (agent, channel, mode, the
 * human workflow, counters). `recent_messages` only when asked for with `include`.
 */
export function presentConversation(row: ConversationRow, tags: string[] = [], recent?: MessageView[]) {
  return {
    id: row.id,
    contact_id: row.contact_id,
    status: row.status,
    metadata: parseJsonObject(row.metadata),
    ended_at: row.ended_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    agent_id: row.agent_id,
    channel_id: row.channel_id,
    end_reason: row.end_reason as 'ended' | 'abandoned' | null,
    mode: row.mode,
    assignee_id: row.assignee_id,
    state_id: row.state_id,
    tags,
    title: row.title,
    context: row.context,
    summary: row.summary,
    score: row.score,
    priority: row.priority as 'low' | 'normal' | 'high' | 'urgent',
    unread_count: row.unread_count,
    turn_count: row.turn_count,
    last_message_at: row.last_message_at,
    ...(recent ? { recent_messages: recent } : {}),
  };
}

export type ConversationView = ReturnType<typeof presentConversation>;
