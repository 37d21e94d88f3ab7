import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import { conflict, notFound, unprocessable } from '../../shared/errors/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { jsonEqual } from '../../shared/json/json.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentAutomation, presentRun, type AutomationView } from './automations.presenters.js';
import type { AutomationRow, AutomationsRepository } from './automations.repository.js';
import type { Action, EventType } from './automations.rules.js';
import { firstProblem, validateRule, type RuleInput } from './automations.validation.js';
import { cleanName } from '../../shared/http/names.js';

export interface AutomationInput {
  name?: string;
  event?: EventType;
  conditions?: RuleInput['conditions'];
  actions?: RuleInput['actions'];
  active?: boolean;
}


/**
 * Automations are managed — and read — by admins and API keys only: seed 001 marks them admin-only,
 * and a rule reveals the workspace's routing (assignees, webhook endpoints). Agent members get 403.
 */
export function createAutomationsUseCases({
  automations,
  references,
}: {
  automations: AutomationsRepository;
  /** What actions may name; each must belong to the account (else 422). */
  references: Record<'members' | 'states' | 'teams' | 'webhookEndpoints', { findById(accountId: string, id: string): Promise<unknown> }>;
}) {
  async function load(principal: Principal, id: string): Promise<AutomationRow> {
    requireAdminOrKey(principal);
    const row = await automations.findById(principal.accountId, id);
    if (!row) throw notFound('automation');
    return row;
  }

  /** Actions that name a member, a team, a state or a webhook endpoint must name one of this account: else 422. */
  async function checkReferences(accountId: string, actions: Action[]): Promise<void> {
    const problems: Record<string, string[]> = {};
    for (const [i, a] of actions.entries()) {
      if (typeof a.value !== 'string') continue;
      let missing: string | null = null;
      if (a.type === 'assign' && !(await references.members.findById(accountId, a.value))) missing = 'This member is not in the workspace any more';
      if (a.type === 'assign_team' && !(await references.teams.findById(accountId, a.value))) missing = 'This team does not exist any more';
      if (a.type === 'set_state' && !(await references.states.findById(accountId, a.value))) missing = 'This state does not exist any more';
      if (a.type === 'send_webhook' && !(await references.webhookEndpoints.findById(accountId, a.value))) missing = 'This webhook endpoint does not exist any more';
      if (missing) problems[`actions.${i}.value`] = [missing];
    }
    if (Object.keys(problems).length > 0) throw unprocessable(firstProblem(problems), problems);
  }

  /** The rule checked for meaning and references, ready to store. */
  async function checkedRule(accountId: string, input: RuleInput) {
    const rule = validateRule(input);
    await checkReferences(accountId, rule.actions);
    return rule;
  }

  /** One round of update: undefined when the stored rule changed after it was read. */
  async function updateOnce(principal: Principal, id: string, input: AutomationInput): Promise<AutomationView | undefined> {
    const row = await load(principal, id);
    const current = presentAutomation(row);
    const changes: Partial<AutomationRow> = {};
    if (input.name !== undefined) {
      const name = cleanName(input.name);
      if (name !== row.name) changes.name = name;
    }
    if (input.event !== undefined || input.conditions !== undefined || input.actions !== undefined) {
      const event = input.event ?? (row.event as EventType);
      const rule = await checkedRule(principal.accountId, {
        event,
        conditions: input.conditions ?? current.conditions,
        actions: input.actions ?? current.actions,
      });
      if (event !== row.event) changes.event = event;
      if (!jsonEqual(rule.conditions, current.conditions)) changes.conditions = JSON.stringify(rule.conditions);
      if (!jsonEqual(rule.actions, current.actions)) changes.actions = JSON.stringify(rule.actions);
    }
    if (input.active !== undefined && (input.active ? 1 : 0) !== row.active) changes.active = input.active ? 1 : 0;
    if (Object.keys(changes).length === 0) return current;
    changes.updated_at = nowIso();
    const updated = await automations.updateRule(principal.accountId, id, row, changes);
    if (updated) return presentAutomation(updated);
    if (!(await automations.findById(principal.accountId, id))) throw notFound('automation');
    return undefined;
  }

  return {
    async list(principal: Principal, query: { event?: EventType; active?: boolean; cursor?: string; limit?: number }) {
      requireAdminOrKey(principal);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await automations.list(principal.accountId, { event: query.event, active: query.active }, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentAutomation);
    },

    async get(principal: Principal, id: string): Promise<AutomationView> {
      return presentAutomation(await load(principal, id));
    },

    async create(
      principal: Principal,
      input: AutomationInput & { name: string; event: EventType; actions: RuleInput['actions'] },
    ): Promise<AutomationView> {
      requireAdminOrKey(principal);
      const name = cleanName(input.name);
      const rule = await checkedRule(principal.accountId, { event: input.event, conditions: input.conditions ?? [], actions: input.actions });
      const now = nowIso();
      const row: AutomationRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        name,
        event: input.event,
        conditions: JSON.stringify(rule.conditions),
        actions: JSON.stringify(rule.actions),
        active: input.active === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      };
      await automations.insert(row);
      return presentAutomation(row);
    },

    /**
     * Fields left out keep their value; `conditions` and `actions` are replaced whole. The rule is
     * checked as it will be stored, so changing only `event` still refuses conditions it cannot carry.
     */
    async update(principal: Principal, id: string, input: AutomationInput): Promise<AutomationView> {
      // The rule is checked as a whole against the stored one; a concurrent change to it sends
      // this change round again, so no two half-changes ever combine into a rule never checked.
      for (let attempt = 0; ; attempt++) {
        const updated = await updateOnce(principal, id, input);
        if (updated) return updated;
        if (attempt === 2) throw conflict('The automation changed while this change was being made; try again');
      }
    },

    /** Seed 001's toggle: active ↔ inactive. */
    async toggle(principal: Principal, id: string): Promise<AutomationView> {
      requireAdminOrKey(principal);
      const updated = await automations.toggle(principal.accountId, id, nowIso());
      if (!updated) throw notFound('automation');
      return presentAutomation(updated);
    },

    async delete(principal: Principal, id: string): Promise<void> {
      requireAdminOrKey(principal);
      if (!(await automations.delete(principal.accountId, id))) throw notFound('automation');
    },

    /** The automation's runs, newest first. */
    async listRuns(principal: Principal, id: string, query: { cursor?: string; limit?: number }) {
      await load(principal, id);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await automations.listRuns(principal.accountId, id, { after, limit });
      return toPage(rows, limit, (r) => [r.created_at, r.id], presentRun);
    },
  };
}

export type AutomationsUseCases = ReturnType<typeof createAutomationsUseCases>;
