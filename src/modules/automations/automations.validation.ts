import { badRequest } from '../../shared/errors/errors.js';
import type { JsonValue } from '../../shared/json/json.js';
import { normalizeTag } from '../conversations/conversations.queries.js';
import { MAX_CONTENT_LENGTH } from '../messages/messages.schemas.js';
import { UUID_PATTERN as UUID } from '../../shared/ids.js';
import {
  actionNeedsConversation,
  fieldSpec,
  MODES,
  PRIORITIES,
  subjectsOf,
  type Action,
  type ActionType,
  type Condition,
  type EventType,
  type Operator,
} from './automations.rules.js';

/** A rule as the request gives it: the schema has checked the shape, not the meaning. */
export interface RuleInput {
  event: EventType;
  conditions: Array<{ field: string; operator: Operator; value?: unknown }>;
  actions: Array<{ type: ActionType; value?: unknown }>;
}

const MAX_LIST = 100;
const MAX_TEXT = 500;
const MAX_TAG = 50;

type Problems = Record<string, string[]>;

function add(problems: Problems, key: string, message: string): void {
  (problems[key] ??= []).push(message);
}

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT;

/** Why a condition's value does not fit its operator (and field), or null when it fits. */
function valueProblem(operator: Operator, value: unknown, allowed: readonly (string | null)[] | undefined): string | null {
  const outside = (v: unknown) => allowed !== undefined && !allowed.includes(v as string | null);
  const listed = `one of: ${allowed?.map((a) => (a === null ? 'none' : a)).join(', ')}`;
  switch (operator) {
    case 'equals':
    case 'not_equals':
      if (!isScalar(value) || (typeof value === 'string' && value.length > MAX_TEXT)) {
        return `Enter a value to compare with: text of at most ${MAX_TEXT} characters, a number, true or false`;
      }
      return outside(value) ? `Choose ${listed}` : null;
    case 'contains':
    case 'not_contains':
      return isText(value) ? null : `Enter the text to look for (at most ${MAX_TEXT} characters)`;
    case 'in':
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST || !value.every(isScalar)) {
        return `Enter between 1 and ${MAX_LIST} values to choose from`;
      }
      return value.some(outside) ? `Choose only among ${allowed?.map((a) => (a === null ? 'none' : a)).join(', ')}` : null;
    case 'gt':
    case 'lt':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Enter a number to compare with';
    case 'matches_keyword': {
      const words = Array.isArray(value) ? value : [value];
      const ok = words.length > 0 && words.length <= MAX_LIST && words.every(isText);
      return ok ? null : `Enter a keyword, or up to ${MAX_LIST} of them`;
    }
  }
}

function checkCondition(event: EventType, c: RuleInput['conditions'][number], i: number, problems: Problems): Condition | null {
  const spec = fieldSpec(c.field);
  if (!spec) {
    add(problems, `conditions.${i}.field`, 'Choose a field a rule can read');
    return null;
  }
  if (!subjectsOf(event).includes(spec.subject)) {
    add(problems, `conditions.${i}.field`, `A rule on ${event} cannot read ${c.field}: choose another field or trigger`);
    return null;
  }
  if (!spec.operators.includes(c.operator)) {
    add(problems, `conditions.${i}.operator`, `For ${c.field}, choose one of: ${spec.operators.map((o) => o.replace('_', ' ')).join(', ')}`);
    return null;
  }
  if (c.value === undefined) {
    add(problems, `conditions.${i}.value`, 'Enter a value to compare with');
    return null;
  }
  const problem = valueProblem(c.operator, c.value, spec.values);
  if (problem) {
    add(problems, `conditions.${i}.value`, problem);
    return null;
  }
  // Tags are stored normalised, so a rule about "VIP " is a rule about "vip".
  let value = c.value as JsonValue;
  if (c.field === 'conversation.tags') {
    value = Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? normalizeTag(v) : v)) : normalizeTag(value as string);
  }
  return { field: c.field, operator: c.operator, value };
}

/** The action's value as stored, or a problem with it. */
function actionValue(type: ActionType, value: unknown): { value: JsonValue } | { problem: string } {
  const nullableId = (problem: string) =>
    value === null || (typeof value === 'string' && UUID.test(value)) ? { value: value as string | null } : { problem };
  switch (type) {
    case 'add_tag':
    case 'remove_tag': {
      const tag = typeof value === 'string' ? normalizeTag(value) : '';
      return tag && tag.length <= MAX_TAG ? { value: tag } : { problem: `Enter a tag of at most ${MAX_TAG} characters` };
    }
    case 'assign':
      return nullableId('Choose a member to assign to, or nobody');
    case 'assign_team':
      return typeof value === 'string' && UUID.test(value) ? { value } : { problem: 'Choose a team' };
    case 'set_state':
      return nullableId('Choose a state, or none');
    case 'set_mode':
      return MODES.includes(value as 'ai') ? { value: value as string } : { problem: 'Choose ai or manual' };
    case 'set_priority':
      return PRIORITIES.includes(value as 'low')
        ? { value: value as string }
        : { problem: `Choose a priority: ${PRIORITIES.join(', ')}` };
    case 'send_message':
    case 'add_note':
      return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_CONTENT_LENGTH
        ? { value }
        : { problem: `Enter the text, at most ${MAX_CONTENT_LENGTH} characters` };
    case 'end_conversation':
      return value === undefined || value === null ? { value: null } : { problem: 'Ending a conversation takes no value' };
    case 'send_webhook':
      return typeof value === 'string' && UUID.test(value) ? { value } : { problem: 'Choose a webhook endpoint to send to' };
    case 'handoff':
      // The reason the team is given, optional.
      return value === undefined || value === null
        ? { value: null }
        : typeof value === 'string' && value.trim() !== '' && value.length <= 500
          ? { value: value.trim() }
          : { problem: 'The reason can be at most 500 characters' };
  }
}

/** The envelope's message: the first problem, and how many more there are. */
export function firstProblem(problems: Problems): string {
  const all = Object.values(problems).flat();
  return all.length > 1 ? `${all[0]} (and ${all.length - 1} more to fix)` : (all[0] ?? 'Check the rule');
}

/**
 * Checks what a rule means against the vocabulary: every field exists and is carried by the
 * rule's event, every operator suits its field, every value suits its operator or action. All
 * problems are reported at once, keyed by index (`conditions.2.value`), as a 400.
 */
export function validateRule(input: RuleInput): { conditions: Condition[]; actions: Action[] } {
  const problems: Problems = {};
  const conditions = input.conditions.map((c, i) => checkCondition(input.event, c, i, problems));
  const actions = input.actions.map((a, i): Action | null => {
    if (actionNeedsConversation(a.type) && !subjectsOf(input.event).includes('conversation')) {
      add(problems, `actions.${i}.type`, `This action needs a conversation, and ${input.event} has none: choose another action or trigger`);
      return null;
    }
    const checked = actionValue(a.type, a.value);
    if ('problem' in checked) {
      add(problems, `actions.${i}.value`, checked.problem);
      return null;
    }
    return { type: a.type, value: checked.value };
  });
  if (Object.keys(problems).length > 0) {
    throw badRequest(firstProblem(problems), problems);
  }
  return { conditions: conditions as Condition[], actions: actions as Action[] };
}
