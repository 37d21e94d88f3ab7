import { isPlainObject, jsonEqual, type JsonObject, type JsonValue } from '../../shared/json/json.js';
import { findKeywords } from '../messages/keywords.js';
import { METADATA_PREFIX, type Condition } from './automations.rules.js';

/** What a rule's conditions can read about one event (null: the event has no such subject). */
export interface RuleContext {
  message: { content: string; role: string } | null;
  conversation: {
    id: string;
    channel_type: string | null;
    mode: string;
    tags: string[];
    priority: string;
    agent_id: string;
    team_id: string | null;
  } | null;
  contact: { email: string | null; metadata: JsonObject } | null;
}

/** The value a field reads in a context; undefined when the subject or key is absent. */
export function fieldValue(field: string, ctx: RuleContext): JsonValue | undefined {
  if (field.startsWith(METADATA_PREFIX)) {
    // `contact.metadata.plan.tier` reads nested objects, like the metadata's own deep merge.
    let v: JsonValue | undefined = ctx.contact?.metadata;
    for (const key of field.slice(METADATA_PREFIX.length).split('.')) {
      v = isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, key) ? (v as JsonObject)[key] : undefined;
    }
    return v;
  }
  switch (field) {
    case 'message.content':
      return ctx.message?.content;
    case 'message.role':
      return ctx.message?.role;
    case 'conversation.channel_type':
      return ctx.conversation ? ctx.conversation.channel_type : undefined;
    case 'conversation.mode':
      return ctx.conversation?.mode;
    case 'conversation.tags':
      return ctx.conversation?.tags;
    case 'conversation.priority':
      return ctx.conversation?.priority;
    case 'conversation.team_id':
      return ctx.conversation ? ctx.conversation.team_id : undefined;
    case 'contact.email':
      return ctx.contact ? ctx.contact.email : undefined;
    case 'agent.id':
      return ctx.conversation?.agent_id;
    default:
      return undefined;
  }
}

/**
 * `contains`: a case-insensitive substring of a string, or a member of an array (a tag rule's
 * values were normalised like tags when the rule was saved). Anything else contains nothing.
 */
function contains(actual: JsonValue | undefined, value: JsonValue): boolean {
  if (typeof actual === 'string' && typeof value === 'string') return actual.toLowerCase().includes(value.toLowerCase());
  if (Array.isArray(actual)) return actual.some((item) => jsonEqual(item, value));
  return false;
}

/** Whether one condition holds. A missing value reads as null, so `not_*` operators hold on it. */
export function holds(condition: Condition, ctx: RuleContext): boolean {
  const actual = fieldValue(condition.field, ctx);
  const value = condition.value;
  switch (condition.operator) {
    case 'equals':
      return jsonEqual(actual ?? null, value);
    case 'not_equals':
      return !jsonEqual(actual ?? null, value);
    case 'contains':
      return contains(actual, value);
    case 'not_contains':
      return !contains(actual, value);
    case 'in': {
      const list = Array.isArray(value) ? value : [value];
      // An array field (tags) is "in" the list when any of its items is.
      if (Array.isArray(actual)) return actual.some((item) => list.some((v) => jsonEqual(item, v)));
      return list.some((v) => jsonEqual(actual ?? null, v));
    }
    case 'gt':
      return typeof actual === 'number' && typeof value === 'number' && actual > value;
    case 'lt':
      return typeof actual === 'number' && typeof value === 'number' && actual < value;
    case 'matches_keyword': {
      if (typeof actual !== 'string') return false;
      const keywords = (Array.isArray(value) ? value : [value]).filter((k): k is string => typeof k === 'string');
      return findKeywords(actual, keywords).length > 0;
    }
  }
}

/** A rule matches when every condition holds (no conditions: every event of its type). */
export function matches(conditions: Condition[], ctx: RuleContext): boolean {
  return conditions.every((c) => holds(c, ctx));
}
