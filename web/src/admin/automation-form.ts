import type { CreateAutomationBody } from '../api/types';

export type TriggerEvent = CreateAutomationBody['event'];
export type Operator = NonNullable<CreateAutomationBody['conditions']>[number]['operator'];
export type ActionType = CreateAutomationBody['actions'][number]['type'];

export const EVENTS: TriggerEvent[] = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'conversation.ended',
  'conversation.mode_changed',
  'conversation.assigned',
  'keyword.detected',
  'message.feedback',
  'contact.created',
  'contact.updated',
  'contact.deleted',
];
export const OPERATORS: Operator[] = ['equals', 'not_equals', 'contains', 'not_contains', 'in', 'gt', 'lt', 'matches_keyword'];
export const FIELDS = [
  'message.content',
  'message.role',
  'conversation.channel_type',
  'conversation.mode',
  'conversation.tags',
  'conversation.priority',
  'contact.email',
  'agent.id',
];
export const ACTIONS: Array<{ type: ActionType; label: string; hint: string }> = [
  { type: 'add_tag', label: 'Add tag', hint: 'tag' },
  { type: 'remove_tag', label: 'Remove tag', hint: 'tag' },
  { type: 'assign', label: 'Assign to', hint: 'member id, empty = unassign' },
  { type: 'set_mode', label: 'Set mode', hint: 'ai or manual' },
  { type: 'set_state', label: 'Set state', hint: 'state id, empty = none' },
  { type: 'set_priority', label: 'Set priority', hint: 'low, normal, high or urgent' },
  { type: 'send_message', label: 'Send message to contact', hint: 'text' },
  { type: 'add_note', label: 'Add internal note', hint: 'text' },
  { type: 'end_conversation', label: 'End conversation', hint: '' },
  { type: 'send_webhook', label: 'Send webhook', hint: 'webhook endpoint id' },
];

export interface ConditionRow {
  field: string;
  operator: Operator;
  value: string;
}
export interface ActionRow {
  type: ActionType;
  value: string;
}

/** The form's text boxes as the API wants them: lists for `in`, numbers for gt/lt, null for "none". */
export function toBody(name: string, event: TriggerEvent, conditions: ConditionRow[], actions: ActionRow[]): CreateAutomationBody {
  return {
    name,
    event,
    conditions: conditions
      .filter((c) => c.field.trim())
      .map((c) => ({
        field: c.field.trim(),
        operator: c.operator,
        value: c.operator === 'in' ? c.value.split(',').map((v) => v.trim()).filter(Boolean) : c.operator === 'gt' || c.operator === 'lt' ? Number(c.value) : c.value,
      })),
    actions: actions.map((a) => {
      if (a.type === 'end_conversation') return { type: a.type };
      if ((a.type === 'assign' || a.type === 'set_state') && !a.value.trim()) return { type: a.type, value: null };
      return { type: a.type, value: a.value.trim() };
    }),
  };
}

/** One line a person can read: "message.content contains refund". */
export function describeCondition(c: { field: string; operator: string; value: unknown }): string {
  return `${c.field} ${c.operator.replace('_', ' ')} ${Array.isArray(c.value) ? c.value.join(', ') : String(c.value)}`;
}
