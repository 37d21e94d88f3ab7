import type { JsonValue } from '../../shared/json/json.js';
import { CHANNEL_TYPES } from '../channels/channels.schemas.js';

/**
 * The vocabulary of automation rules (issue 4): which events can trigger a rule, which fields its
 * conditions can read, with which operators, and which actions it can take. Validation
 * (automations.validation.ts) and evaluation (automations.conditions.ts) both read from here.
 */

export const EVENT_TYPES = [
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.erased',
  'conversation.created',
  'conversation.updated',
  'conversation.ended',
  'conversation.mode_changed',
  'conversation.assigned',
  'conversation.handoff',
  'conversation.snoozed',
  'conversation.unsnoozed',
  'conversation.reopened',
  'message.created',
  'message.feedback',
  'message.sent',
  'message.delivery_failed',
  'keyword.detected',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'in',
  'gt',
  'lt',
  'matches_keyword',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const ACTION_TYPES = [
  'add_tag',
  'remove_tag',
  'assign',
  'assign_team',
  'set_mode',
  'set_state',
  'set_priority',
  'send_message',
  'add_note',
  'end_conversation',
  'send_webhook',
  'handoff',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const MODES = ['ai', 'manual'] as const;
export const MESSAGE_ROLES = ['user', 'assistant', 'operator', 'note'] as const;

export interface Condition {
  field: string;
  operator: Operator;
  value: JsonValue;
}

export interface Action {
  type: ActionType;
  value: JsonValue;
}

/** What an event carries (or lets the consumer load): the subjects a field can read. */
export type Subject = 'message' | 'conversation' | 'contact';

const STRING_OPS: Operator[] = ['equals', 'not_equals', 'contains', 'not_contains', 'in', 'matches_keyword'];
const ENUM_OPS: Operator[] = ['equals', 'not_equals', 'in'];

export interface FieldSpec {
  subject: Subject;
  operators: Operator[];
  /** The values an enumerated field can take; a condition naming any other value is refused. */
  values?: readonly (string | null)[];
}

/** The fields a condition can read, except `contact.metadata.<key>` (see fieldSpec). */
export const FIELDS: Record<string, FieldSpec> = {
  'message.content': { subject: 'message', operators: STRING_OPS },
  'message.role': { subject: 'message', operators: ENUM_OPS, values: MESSAGE_ROLES },
  // null: a conversation with no channel.
  'conversation.channel_type': { subject: 'conversation', operators: ENUM_OPS, values: [...CHANNEL_TYPES, null] },
  'conversation.mode': { subject: 'conversation', operators: ENUM_OPS, values: MODES },
  // Membership: `contains` a tag, `not_contains` a tag, `in` = has any of these tags.
  'conversation.tags': { subject: 'conversation', operators: ['contains', 'not_contains', 'in'] },
  'conversation.priority': { subject: 'conversation', operators: ENUM_OPS, values: PRIORITIES },
  // A team id, or null: with no team.
  'conversation.team_id': { subject: 'conversation', operators: ENUM_OPS },
  'contact.email': { subject: 'contact', operators: STRING_OPS },
  'agent.id': { subject: 'conversation', operators: ENUM_OPS },
};

export const METADATA_PREFIX = 'contact.metadata.';

/** The spec of a field, or undefined when no such field exists. */
export function fieldSpec(field: string): FieldSpec | undefined {
  if (Object.prototype.hasOwnProperty.call(FIELDS, field)) return FIELDS[field];
  if (field.startsWith(METADATA_PREFIX) && field.length > METADATA_PREFIX.length) {
    return { subject: 'contact', operators: [...OPERATORS] };
  }
  return undefined;
}

/**
 * What each event type carries: a message (and its conversation), a conversation, or only a
 * contact. The contact of a conversation is loaded by the consumer, so every event has one —
 * except contact.deleted, whose contact is the one in the event.
 */
export function subjectsOf(event: EventType): Subject[] {
  if (event.startsWith('contact.')) return ['contact'];
  if (event.startsWith('conversation.')) return ['conversation', 'contact'];
  return ['message', 'conversation', 'contact'];
}

/** Actions that change a conversation need one in the event; send_webhook works for every event. */
export function actionNeedsConversation(type: ActionType): boolean {
  return type !== 'send_webhook';
}
