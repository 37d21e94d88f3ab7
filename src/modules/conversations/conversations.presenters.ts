import { parseJsonObject } from '../../shared/json/json.js';
import type { MessageView } from '../messages/messages.presenters.js';
import type { AuthorType } from '../messages/messages.authors.js';
import { presentContact } from '../contacts/contacts.presenters.js';
import type { ContactRow } from '../contacts/contacts.repository.js';
import type { LastMessageRow } from './conversations.includes.repository.js';
import type { ConversationRow } from './conversations.repository.js';
import type { HandoffSource, VisitorInfo } from './conversations.usecases.js';

/** When, by whom and why the conversation was handed to the team, or null. */
export function presentHandoff(row: ConversationRow) {
  return row.handoff_at === null
    ? null
    : { at: row.handoff_at, source: row.handoff_source as HandoffSource, reason: row.handoff_reason };
}

/** The contact's rating of the conversation (1–5), or null. */
export function presentCsat(row: ConversationRow) {
  return row.csat_at === null || row.csat_rating === null ? null : { rating: row.csat_rating, comment: row.csat_comment, at: row.csat_at };
}

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
    team_id: row.team_id,
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
    handoff: presentHandoff(row),
    waiting_since: row.waiting_since,
    csat: presentCsat(row),
    visitor: row.visitor === null ? null : (parseJsonObject(row.visitor) as unknown as VisitorInfo),
    contact_read_message_id: row.contact_read_message_id === null ? null : Number(row.contact_read_message_id),
    team_read_message_id: row.team_read_message_id === null ? null : Number(row.team_read_message_id),
    // Ending clears a snooze; a conversation ended by some older path still never shows one.
    snoozed_until: row.status === 'active' ? row.snoozed_until : null,
    ...(recent ? { recent_messages: recent } : {}),
  };
}

/** `include=contact`: the contact as the contacts API shows it (null if it is gone meanwhile). */
export function presentEmbeddedContact(row: ContactRow | undefined) {
  return row ? presentContact(row) : null;
}

/** `include=last_message`: enough of the last message for a list row (content cut to 200 characters). */
export function presentLastMessage(row: LastMessageRow | undefined) {
  if (!row) return null;
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    author: { type: (row.author_type ?? 'system') as AuthorType, name: row.author_name },
    created_at: row.created_at,
  };
}

export type ConversationView = ReturnType<typeof presentConversation> & {
  contact?: ReturnType<typeof presentEmbeddedContact>;
  last_message?: ReturnType<typeof presentLastMessage>;
};
