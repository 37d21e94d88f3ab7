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
  'conversation.handoff',
  'conversation.snoozed',
  'conversation.unsnoozed',
  'conversation.reopened',
  'keyword.detected',
  'message.feedback',
  'message.sent',
  'message.delivery_failed',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.erased',
];
export const OPERATORS: Operator[] = ['equals', 'not_equals', 'contains', 'not_contains', 'in', 'gt', 'lt', 'matches_keyword'];
export const FIELDS = [
  'message.content',
  'message.role',
  'conversation.channel_type',
  'conversation.mode',
  'conversation.tags',
  'conversation.priority',
  'conversation.team_id',
  'contact.email',
  'agent.id',
];
/** How an action's value is chosen: a picker of the workspace's things by name, a list, text, or nothing. */
export type ValuePicker = 'member' | 'team' | 'state' | 'webhook' | 'mode' | 'priority' | 'text' | 'none';

export const ACTIONS: Array<{ type: ActionType; label: string; pick: ValuePicker; hint?: string }> = [
  { type: 'add_tag', label: 'Add tag', pick: 'text', hint: 'tag' },
  { type: 'remove_tag', label: 'Remove tag', pick: 'text', hint: 'tag' },
  { type: 'assign', label: 'Assign to', pick: 'member' },
  { type: 'assign_team', label: 'Hand to team', pick: 'team' },
  { type: 'set_mode', label: 'Set mode', pick: 'mode' },
  { type: 'set_state', label: 'Set state', pick: 'state' },
  { type: 'set_priority', label: 'Set priority', pick: 'priority' },
  { type: 'send_message', label: 'Send message to contact', pick: 'text', hint: 'text' },
  { type: 'add_note', label: 'Add internal note', pick: 'text', hint: 'text' },
  { type: 'handoff', label: 'Hand over to a person', pick: 'text', hint: 'reason, optional' },
  { type: 'end_conversation', label: 'End conversation', pick: 'none' },
  { type: 'send_webhook', label: 'Send webhook', pick: 'webhook' },
];

export const MODE_CHOICES = [
  { value: 'manual', label: 'Manual (a person answers)' },
  { value: 'ai', label: 'AI answers' },
];
export const PRIORITY_CHOICES = ['low', 'normal', 'high', 'urgent'];

export interface ConditionRow {
  field: string;
  operator: Operator;
  value: string;
}
export interface ActionRow {
  type: ActionType;
  value: string;
}

/** Condition fields whose value is chosen by name from a list (the rule stores the id). */
export const PICKED_FIELDS = ['agent.id', 'conversation.team_id'];

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
        // The team picker's first choice is "No team".
        value: c.field.trim() === 'conversation.team_id' && c.operator !== 'in' && !c.value ? null : c.operator === 'in' ? c.value.split(',').map((v) => v.trim()).filter(Boolean) : c.operator === 'gt' || c.operator === 'lt' ? Number(c.value) : c.value,
      })),
    actions: actions.map((a) => {
      if (a.type === 'end_conversation') return { type: a.type };
      if ((a.type === 'assign' || a.type === 'set_state' || a.type === 'handoff') && !a.value.trim()) return { type: a.type, value: null };
      return { type: a.type, value: a.value.trim() };
    }),
  };
}

/**
 * One line a person can read: "message.content contains refund"; `name` turns the ids a rule
 * stores (an agent's, a team's) back into the names that were picked.
 */
export function describeCondition(
  c: { field: string; operator: string; value: unknown },
  name: (field: string, value: unknown) => string | undefined = () => undefined,
): string {
  const one = (v: unknown) => name(c.field, v) ?? (v === null ? 'none' : String(v));
  return `${c.field} ${c.operator.replace('_', ' ')} ${Array.isArray(c.value) ? c.value.map(one).join(', ') : one(c.value)}`;
}
