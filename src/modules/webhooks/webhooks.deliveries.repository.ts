import type { Insertable, Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { WebhookDeliveriesTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';
import { claimDue } from '../../shared/db/leased-queue.js';

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type NewDelivery = Insertable<WebhookDeliveriesTable>;

/** What an attempt leaves on its delivery. */
export type DeliveryOutcome = Pick<
  DeliveryRow,
  'status' | 'last_status_code' | 'last_error' | 'last_duration_ms' | 'next_attempt_at' | 'delivered_at' | 'updated_at'
> & { attempts?: number };

/** Webhook deliveries: the outbox rows and the worker's claims on them. */
export function createWebhookDeliveriesRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  return {
    async insertAll(rows: NewDelivery[], executor: Executor = db): Promise<DeliveryRow[]> {
      if (rows.length === 0) return [];
      return executor.insertInto('webhook_deliveries').values(rows).returningAll().execute();
    },

    async findById(accountId: string, endpointId: string, id: string, executor: Executor = db): Promise<DeliveryRow | undefined> {
      return executor
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('endpoint_id', '=', endpointId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** An endpoint's deliveries, newest first. */
    async list(
      accountId: string,
      endpointId: string,
      filters: { status?: DeliveryRow['status'] },
      page: { after: CursorValue[] | null; limit: number },
    ): Promise<DeliveryRow[]> {
      let q = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('endpoint_id', '=', endpointId);
      if (filters.status !== undefined) q = q.where('status', '=', filters.status);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'desc'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    },

    /**
     * Puts a delivery back in the queue, due at `at`. A delivery being sent right now is left alone
     * (undefined): its outcome is about to be written and would race the reset.
     */
    async requeue(accountId: string, endpointId: string, id: string, at: string): Promise<DeliveryRow | undefined> {
      return db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: at, locked_until: null, delivered_at: null, updated_at: at })
        .where('account_id', '=', accountId)
        .where('endpoint_id', '=', endpointId)
        .where('id', '=', id)
        .where('status', '!=', 'sending')
        .returningAll()
        .executeTakeFirst();
    },

    /** Claims up to `limit` due deliveries of any account until `leaseUntil` (see claimDue in leased-queue.ts). */
    claimDue(now: string, leaseUntil: string, limit: number) {
      return claimDue(db, dialect, 'webhook_deliveries', 'pending', now, leaseUntil, limit);
    },

    /**
     * Writes an attempt's outcome, only if this worker still holds the claim (same attempt count,
     * still sending): a worker whose lease ran out and was overtaken changes nothing.
     */
    async finish(claimed: Pick<DeliveryRow, 'account_id' | 'id' | 'attempts'>, outcome: DeliveryOutcome): Promise<boolean> {
      const res = await db
        .updateTable('webhook_deliveries')
        .set({ ...outcome, locked_until: null })
        .where('account_id', '=', claimed.account_id)
        .where('id', '=', claimed.id)
        .where('status', '=', 'sending')
        .where('attempts', '=', claimed.attempts)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  };
}

export type WebhookDeliveriesRepository = ReturnType<typeof createWebhookDeliveriesRepository>;
