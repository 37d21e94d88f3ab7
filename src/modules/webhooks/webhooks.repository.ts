import type { Selectable } from 'kysely';
import { isPostgres, type Executor } from '../../shared/db/database.js';
import type { WebhookEndpointsTable } from '../../shared/db/schema.js';
import { accountRows } from '../../shared/db/account-rows.js';
import { prepareQuery } from '../../shared/db/prepared.js';
import type { CursorValue } from '../../shared/pagination/pagination.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
type EndpointPatch = Partial<Omit<EndpointRow, 'id' | 'account_id' | 'created_at'>>;

/** Webhook endpoints; every query names the account. */
export function createWebhookEndpointsRepository({ db }: { db: Executor }) {
  const rows = accountRows(db, 'webhook_endpoints');
  // FOR KEY SHARE (PostgreSQL only) on the reads that precede a delivery's insert: see the outbox.
  // It conflicts with nothing but a delete (or a change of id), so updates and other writers go on.
  const postgres = isPostgres(db);
  // Read by every write that appends events: built and compiled once.
  const active = prepareQuery(db, 1, (q, accountId: string) => {
    const query = q.selectFrom('webhook_endpoints').selectAll().where('account_id', '=', accountId).where('active', '=', 1);
    return postgres ? query.forKeyShare() : query;
  });
  return {
    async insert(row: EndpointRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('webhook_endpoints').values(row).execute();
    },

    findById: rows.findById,
    /** One endpoint, read inside the transaction about to queue a delivery for it (like listActive, locked against deletion). */
    findForDelivery: rows.findShared,

    /** Endpoints oldest first, so a page boundary never moves when endpoints are added. */
    list(accountId: string, filters: { active?: boolean }, page: { after: CursorValue[] | null; limit: number }): Promise<EndpointRow[]> {
      return rows.list(accountId, page, { active: filters.active === undefined ? undefined : filters.active ? 1 : 0 });
    },

    /**
     * The account's active endpoints, read inside the transaction that appends events (the outbox).
     * On PostgreSQL they stay locked against deletion until that transaction ends (FOR KEY SHARE);
     * one whose deletion is under way is waited for, then left out.
     */
    async listActive(accountId: string, executor: Executor = db): Promise<EndpointRow[]> {
      return active([accountId], executor);
    },

    update: (accountId: string, id: string, patch: EndpointPatch, executor?: Executor) => rows.update(accountId, id, patch, executor),
    updateLocked: (accountId: string, id: string, change: (row: EndpointRow, at: string) => EndpointPatch) => rows.updateLocked(accountId, id, change),
    /** Deletes an endpoint and (by cascade) its deliveries; false when there was none. */
    delete: (accountId: string, id: string) => rows.delete(accountId, id),

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
