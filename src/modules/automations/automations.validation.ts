import { badRequest } from '../../shared/errors/errors.js';
import type { JsonValue } from '../../shared/json/json.js';
import { normalizeTag } from '../conversations/conversations.queries.js';
import { MAX_CONTENT_LENGTH } from '../messages/messages.schemas.js';
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const listed = `one of ${allowed?.map((a) => JSON.stringify(a)).join(', ')}`;
  switch (operator) {
    case 'equals':
    case 'not_equals':
      if (!isScalar(value) || (typeof value === 'string' && value.length > MAX_TEXT)) {
        return `must be a string (at most ${MAX_TEXT} characters), a number, a boolean or null`;
      }
      return outside(value) ? `must be ${listed}` : null;
    case 'contains':
    case 'not_contains':
      return isText(value) ? null : `must be a non-blank string of at most ${MAX_TEXT} characters`;
    case 'in':
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST || !value.every(isScalar)) {
        return `must be a non-empty array of at most ${MAX_LIST} strings, numbers, booleans or nulls`;
      }
      return value.some(outside) ? `must only hold ${listed}` : null;
    case 'gt':
    case 'lt':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'matches_keyword': {
      const words = Array.isArray(value) ? value : [value];
      const ok = words.length > 0 && words.length <= MAX_LIST && words.every(isText);
      return ok ? null : `must be a keyword or a non-empty array of at most ${MAX_LIST} keywords`;
    }
  }
}

function checkCondition(event: EventType, c: RuleInput['conditions'][number], i: number, problems: Problems): Condition | null {
  const spec = fieldSpec(c.field);
  if (!spec) {
    add(problems, `conditions.${i}.field`, 'is not a known field');
    return null;
  }
  if (!subjectsOf(event).includes(spec.subject)) {
    add(problems, `conditions.${i}.field`, `is not available on ${event} events`);
    return null;
  }
  if (!spec.operators.includes(c.operator)) {
    add(problems, `conditions.${i}.operator`, `must be one of ${spec.operators.join(', ')} for ${c.field}`);
    return null;
  }
  if (c.value === undefined) {
    add(problems, `conditions.${i}.value`, 'is required');
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
  const nullableId = (what: string) =>
    value === null || (typeof value === 'string' && UUID.test(value))
      ? { value: value as string | null }
      : { problem: `must be a ${what} id or null` };
  switch (type) {
    case 'add_tag':
    case 'remove_tag': {
      const tag = typeof value === 'string' ? normalizeTag(value) : '';
      return tag && tag.length <= MAX_TAG ? { value: tag } : { problem: `must be a non-blank tag of at most ${MAX_TAG} characters` };
    }
    case 'assign':
      return nullableId('member');
    case 'set_state':
      return nullableId('conversation state');
    case 'set_mode':
      return MODES.includes(value as 'ai') ? { value: value as string } : { problem: 'must be one of "ai", "manual"' };
    case 'set_priority':
      return PRIORITIES.includes(value as 'low')
        ? { value: value as string }
        : { problem: `must be one of ${PRIORITIES.map((p) => `"${p}"`).join(', ')}` };
    case 'send_message':
    case 'add_note':
      return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_CONTENT_LENGTH
        ? { value }
        : { problem: `must be non-blank text of at most ${MAX_CONTENT_LENGTH} characters` };
    case 'end_conversation':
      return value === undefined || value === null ? { value: null } : { problem: 'must be null or left out' };
    case 'send_webhook':
      return typeof value === 'string' && UUID.test(value) ? { value } : { problem: 'must be a webhook endpoint id' };
    case 'handoff':
      // The reason the team is given, optional.
      return value === undefined || value === null
        ? { value: null }
        : typeof value === 'string' && value.trim() !== '' && value.length <= 500
          ? { value: value.trim() }
          : { problem: 'must be a reason of at most 500 characters, or null' };
  }
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
      add(problems, `actions.${i}.type`, `needs a conversation, which ${input.event} events do not have`);
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
    const first = Object.keys(problems)[0];
    throw badRequest(`Invalid rule: \`${first}\` ${problems[first][0]}`, problems);
  }
  return { conditions: conditions as Condition[], actions: actions as Action[] };
}
