import type { Insertable, Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { WebhookDeliveriesTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

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

    /**
     * Claims up to `limit` due deliveries of any account for this worker until `leaseUntil`: pending
     * ones whose time has come, and ones left `sending` by a worker whose lease ran out (it crashed).
     * Each claim counts as an attempt, and the new count is the fencing token of `finish`. Rows
     * another process is claiming are skipped (SKIP LOCKED on PostgreSQL; SQLite has one writer), and
     * the update re-checks that each row is still due, so no row is ever claimed twice.
     */
    async claimDue(now: string, leaseUntil: string, limit: number): Promise<DeliveryRow[]> {
      return db.transaction().execute(async (trx) => {
        let q = trx
          .selectFrom('webhook_deliveries')
          .select('id')
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
              eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', now)]),
            ]),
          )
          .orderBy('next_attempt_at', 'asc')
          .orderBy('id', 'asc')
          .limit(limit);
        if (dialect === 'postgres') q = q.forUpdate().skipLocked();
        const ids = (await q.execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        return trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({ status: 'sending', locked_until: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
          .where('id', 'in', ids)
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
              eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', now)]),
            ]),
          )
          .returningAll()
          .execute();
      });
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
