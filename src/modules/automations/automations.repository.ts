import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import { accountRows } from '../../shared/db/account-rows.js';
import type { AutomationRunsTable, AutomationsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type AutomationRow = Selectable<AutomationsTable>;
export type AutomationRunRow = Selectable<AutomationRunsTable>;

export interface AutomationFilters {
  event?: string;
  active?: boolean;
}

export function createAutomationsRepository({ db }: { db: Executor }) {
  const rows = accountRows(db, 'automations');
  return {
    async insert(row: AutomationRow): Promise<void> {
      await db.insertInto('automations').values(row).execute();
    },

    findById: (accountId: string, id: string) => rows.findById(accountId, id),

    /** Automations oldest first, so a page boundary never moves when automations are added. */
    list(accountId: string, f: AutomationFilters, page: { after: CursorValue[] | null; limit: number }): Promise<AutomationRow[]> {
      return rows.list(accountId, page, { event: f.event, active: f.active === undefined ? undefined : f.active ? 1 : 0 });
    },

    /**
     * The active rules of these accounts, in the order they were created (and run): one query for a
     * whole batch of events, however many accounts it spans.
     */
    async listActive(accountIds: string[]): Promise<AutomationRow[]> {
      if (accountIds.length === 0) return [];
      return db
        .selectFrom('automations')
        .selectAll()
        .where('account_id', 'in', accountIds)
        .where('active', '=', 1)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
    },

    /**
     * Applies a change only if the rule (event, conditions, actions) is still the one the change was
     * checked against; undefined when the automation is gone or its rule changed meanwhile.
     */
    async updateRule(
      accountId: string,
      id: string,
      checkedAgainst: Pick<AutomationRow, 'event' | 'conditions' | 'actions'>,
      patch: Partial<Omit<AutomationRow, 'id' | 'account_id' | 'created_at'>>,
    ): Promise<AutomationRow | undefined> {
      return db
        .updateTable('automations')
        .set(patch)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('event', '=', checkedAgainst.event)
        .where('conditions', '=', checkedAgainst.conditions)
        .where('actions', '=', checkedAgainst.actions)
        .returningAll()
        .executeTakeFirst();
    },

    /** Flips `active` in one statement, so two toggles at once cannot both read the old value. */
    async toggle(accountId: string, id: string, at: string): Promise<AutomationRow | undefined> {
      return db
        .updateTable('automations')
        .set({ active: sql<number>`1 - active`, updated_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /** Deletes an automation (its runs go with it, by foreign key); false when there was none. */
    delete: (accountId: string, id: string) => rows.delete(accountId, id),

    /** Runs newest first. */
    async listRuns(
      accountId: string,
      automationId: string,
      page: { after: CursorValue[] | null; limit: number },
    ): Promise<AutomationRunRow[]> {
      let q = db
        .selectFrom('automation_runs')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('automation_id', '=', automationId);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'desc'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    },

    async findRun(accountId: string, automationId: string, eventId: number): Promise<AutomationRunRow | undefined> {
      return db
        .selectFrom('automation_runs')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('automation_id', '=', automationId)
        .where('event_id', '=', eventId)
        .executeTakeFirst();
    },

    /** Records a run; false when one already exists for this (automation, event). */
    async insertRun(row: AutomationRunRow): Promise<boolean> {
      const res = await db
        .insertInto('automation_runs')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'automation_id', 'event_id']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async finishRun(
      accountId: string,
      id: string,
      result: Pick<AutomationRunRow, 'status' | 'actions' | 'error'>,
    ): Promise<void> {
      await db.updateTable('automation_runs').set(result).where('account_id', '=', accountId).where('id', '=', id).execute();
    },
  };
}

export type AutomationsRepository = ReturnType<typeof createAutomationsRepository>;
