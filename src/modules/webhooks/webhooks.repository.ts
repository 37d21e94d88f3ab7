import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { WebhookEndpointsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
type EndpointPatch = Partial<Omit<EndpointRow, 'id' | 'account_id' | 'created_at'>>;

/** Webhook endpoints; every query names the account. */
export function createWebhookEndpointsRepository({ db }: { db: Executor }) {
  return {
    async insert(row: EndpointRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('webhook_endpoints').values(row).execute();
    },

    async findById(accountId: string, id: string, executor: Executor = db): Promise<EndpointRow | undefined> {
      return executor
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Endpoints oldest first, so a page boundary never moves when endpoints are added. */
    async list(
      accountId: string,
      filters: { active?: boolean },
      page: { after: CursorValue[] | null; limit: number },
    ): Promise<EndpointRow[]> {
      let q = db.selectFrom('webhook_endpoints').selectAll().where('account_id', '=', accountId);
      if (filters.active !== undefined) q = q.where('active', '=', filters.active ? 1 : 0);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit + 1).execute();
    },

    /** The account's active endpoints, read inside the transaction that appends events (the outbox). */
    async listActive(accountId: string, executor: Executor = db): Promise<EndpointRow[]> {
      return executor
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('active', '=', 1)
        .execute();
    },

    async update(accountId: string, id: string, patch: EndpointPatch, executor: Executor = db): Promise<EndpointRow | undefined> {
      return executor
        .updateTable('webhook_endpoints')
        .set(patch)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /** Deletes an endpoint and (by cascade) its deliveries; false when there was none. */
    async delete(accountId: string, id: string): Promise<boolean> {
      const res = await db
        .deleteFrom('webhook_endpoints')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    /**
     * Records a failed attempt: `failing_since` keeps the first failure since the last success.
     * Returns the endpoint as it now stands (undefined when it was deleted meanwhile).
     */
    async markFailing(accountId: string, id: string, at: string): Promise<EndpointRow | undefined> {
      return db
        .updateTable('webhook_endpoints')
        .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(at)) }))
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /** Any success ends a failing streak. Writes only when there is one, so successes stay reads. */
    async clearFailing(accountId: string, id: string): Promise<void> {
      await db
        .updateTable('webhook_endpoints')
        .set({ failing_since: null })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('failing_since', 'is not', null)
        .execute();
    },

    /**
     * Deactivates an endpoint still failing since `cutoff` or earlier. Conditional, so a success
     * committed meanwhile (which clears `failing_since`) keeps it active; undefined when nothing changed.
     */
    async deactivateIfFailingSince(
      accountId: string,
      id: string,
      cutoff: string,
      at: string,
      executor: Executor,
    ): Promise<EndpointRow | undefined> {
      return executor
        .updateTable('webhook_endpoints')
        .set({ active: 0, deactivated_at: at, updated_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('active', '=', 1)
        .where('failing_since', 'is not', null)
        .where('failing_since', '<=', cutoff)
        .returningAll()
        .executeTakeFirst();
    },
  };
}

export type WebhookEndpointsRepository = ReturnType<typeof createWebhookEndpointsRepository>;
