import { parseJsonArray } from '../../shared/json/json.js';
import type { Action, Condition } from './automations.rules.js';
import type { AutomationRow, AutomationRunRow } from './automations.repository.js';

/** The automation as the API shows it. */
export function presentAutomation(row: AutomationRow) {
  return {
    id: row.id,
    name: row.name,
    event: row.event,
    conditions: parseJsonArray<Condition>(row.conditions),
    actions: parseJsonArray<Action>(row.actions),
    active: row.active === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type AutomationView = ReturnType<typeof presentAutomation>;

/** What one action of a run did. */
export interface ActionResult {
  type: string;
  status: 'ok' | 'error';
  error: string | null;
}

/** One evaluation of a rule against one event, and what its actions did. */
export function presentRun(row: AutomationRunRow) {
  return {
    id: row.id,
    automation_id: row.automation_id,
    event_id: row.event_id,
    event_type: row.event_type,
    conversation_id: row.conversation_id,
    matched: row.matched === 1,
    status: row.status,
    actions: parseJsonArray<ActionResult>(row.actions),
    error: row.error,
    created_at: row.created_at,
  };
}

export type AutomationRunView = ReturnType<typeof presentRun>;
