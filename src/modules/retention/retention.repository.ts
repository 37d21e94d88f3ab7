import type { Kysely } from 'kysely';
import type { Executor } from '../../shared/db/database.js';

/** Tables whose rows expire by themselves; they share these columns. */
export type ExpiringTable = 'sessions' | 'visitor_sessions' | 'member_invitations';
interface ExpiringRow {
  id: string;
  account_id: string;
  expires_at: string;
  accepted_at: string | null;
}

/** A workspace's retention periods in days (null: kept forever), as stored on its account. */
export interface AccountRetention {
  id: string;
  retention_ended_conversations_days: number | null;
  retention_events_days: number | null;
  retention_webhook_deliveries_days: number | null;
  retention_automation_runs_days: number | null;
  retention_audit_log_days: number | null;
}

/** Events read in id order: ids grow with time, so the old ones come first. */
interface Stamped {
  id: number;
  created_at: string;
}

/**
 * The retention task's queries. Each pruning step first READS a batch of keys (readers never block
 * writers: WAL on SQLite, MVCC on PostgreSQL) and then deletes exactly those rows by key, with the
 * conditions checked again in the delete, so the write itself is short and bounded by the batch,
 * and a row that changed in between (a delivery retried) is left alone.
 */
export function createRetentionRepository({ db }: { db: Executor }) {
  return {
    /** One page of accounts by id, with their periods. Maintenance across tenants on purpose. */
    async listAccounts(afterId: string | null, limit: number): Promise<AccountRetention[]> {
      let q = db
        .selectFrom('accounts')
        .select([
          'id',
          'retention_ended_conversations_days',
          'retention_events_days',
          'retention_webhook_deliveries_days',
          'retention_automation_runs_days',
          'retention_audit_log_days',
        ]);
      if (afterId !== null) q = q.where('id', '>', afterId);
      return q.orderBy('id', 'asc').limit(limit).execute();
    },

    /** Ended conversations whose end is older than `cutoff`, oldest first. */
    async endedConversations(accountId: string, cutoff: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('conversations')
        .select('id')
        .where('account_id', '=', accountId)
        .where('status', '=', 'ended')
        .where('ended_at', '<', cutoff)
        .orderBy('ended_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /**
     * The first event id the log must keep for every account: log consumers (automations,
     * notifications) read every account's events in order, so none they have not read yet may go.
     * Null: no consumer has started.
     */
    async unreadByConsumersFrom(): Promise<number | null> {
      const row = await db
        .selectFrom('event_consumers')
        .select((eb) => eb.fn.min('last_event_id').as('id'))
        .executeTakeFirst();
      return row?.id === null || row?.id === undefined ? null : Number(row.id) + 1;
    },

    /** The oldest event of the account a webhook delivery still has to send (pending or being sent). */
    async undeliveredFrom(accountId: string): Promise<number | null> {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min('event_id').as('id'))
        .where('status', 'in', ['pending', 'sending'])
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return row?.id === null || row?.id === undefined ? null : Number(row.id);
    },

    /**
     * When the account's oldest asynchronous reply still to be written was queued: the events
     * since then are kept, since the reply is announced after them and a client waiting for it
     * reads the log from where it posted.
     */
    async oldestPendingReply(accountId: string): Promise<string | null> {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.min('created_at').as('at'))
        .where('status', '=', 'pending')
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return (row?.at as string | null | undefined) ?? null;
    },

    /** The account's oldest events (by id) after `afterId`, for picking the ones old enough. */
    async oldestEvents(accountId: string, afterId: number, limit: number): Promise<Stamped[]> {
      return db
        .selectFrom('events')
        .select(['id', 'created_at'])
        .where('account_id', '=', accountId)
        .where('id', '>', afterId)
        .orderBy('id', 'asc')
        .limit(limit)
        .execute();
    },

    async deleteEvents(accountId: string, ids: number[], cutoff: string): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db
        .deleteFrom('events')
        .where('account_id', '=', accountId)
        .where('id', 'in', ids)
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    /** Finished deliveries (delivered or given up) created before `cutoff`. */
    async finishedDeliveries(accountId: string, cutoff: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('account_id', '=', accountId)
        .where('created_at', '<', cutoff)
        .where('status', 'in', ['delivered', 'failed'])
        .orderBy('created_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    async deleteDeliveries(accountId: string, ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db
        .deleteFrom('webhook_deliveries')
        .where('account_id', '=', accountId)
        .where('id', 'in', ids)
        .where('status', 'in', ['delivered', 'failed'])
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    async oldAutomationRuns(accountId: string, cutoff: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('automation_runs')
        .select('id')
        .where('account_id', '=', accountId)
        .where('created_at', '<', cutoff)
        .orderBy('created_at', 'asc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    async deleteAutomationRuns(accountId: string, ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db.deleteFrom('automation_runs').where('account_id', '=', accountId).where('id', 'in', ids).executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    /** Audit entries of the account (null: of no account) created before `cutoff`, oldest first. */
    async oldAuditEntries(accountId: string | null, cutoff: string, limit: number): Promise<number[]> {
      let q = db.selectFrom('audit_log').select('id').where('created_at', '<', cutoff);
      q = accountId === null ? q.where('account_id', 'is', null) : q.where('account_id', '=', accountId);
      return (await q.orderBy('created_at', 'asc').limit(limit).execute()).map((r) => r.id);
    },

    async deleteAuditEntries(accountId: string | null, ids: number[]): Promise<number> {
      if (ids.length === 0) return 0;
      let q = db.deleteFrom('audit_log').where('id', 'in', ids);
      q = accountId === null ? q.where('account_id', 'is', null) : q.where('account_id', '=', accountId);
      const res = await q.executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    /**
     * Rows past their expiry: members' sign-in sessions, visitors' widget sessions, and
     * invitations that expired without being accepted (an accepted one names its member).
     */
    async expired(table: ExpiringTable, accountId: string, now: string, limit: number): Promise<string[]> {
      let q = (db as unknown as Kysely<Record<ExpiringTable, ExpiringRow>>)
        .selectFrom(table as 'sessions')
        .select('id')
        .where('account_id', '=', accountId)
        .where('expires_at', '<', now);
      if (table === 'member_invitations') q = q.where('accepted_at', 'is', null);
      return (await q.orderBy('expires_at', 'asc').limit(limit).execute()).map((r) => r.id);
    },

    async deleteExpired(table: ExpiringTable, accountId: string, ids: string[], now: string): Promise<number> {
      if (ids.length === 0) return 0;
      let q = (db as unknown as Kysely<Record<ExpiringTable, ExpiringRow>>)
        .deleteFrom(table as 'sessions')
        .where('account_id', '=', accountId)
        .where('id', 'in', ids)
        .where('expires_at', '<', now);
      if (table === 'member_invitations') q = q.where('accepted_at', 'is', null);
      const res = await q.executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    /** Idempotency records older than `cutoff` that no live request holds, oldest first. */
    async expiredIdempotencyRecords(accountId: string, cutoff: string, now: string, limit: number): Promise<Array<{ principal: string; key: string }>> {
      return db
        .selectFrom('idempotency_keys')
        .select(['principal', 'key'])
        .where('account_id', '=', accountId)
        .where('created_at', '<', cutoff)
        .where((eb) => eb.or([eb('status', '=', 'done'), eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .orderBy('created_at', 'asc')
        .limit(limit)
        .execute();
    },

    async deleteIdempotencyRecords(accountId: string, keys: Array<{ principal: string; key: string }>, cutoff: string, now: string): Promise<number> {
      if (keys.length === 0) return 0;
      const res = await db
        .deleteFrom('idempotency_keys')
        .where('account_id', '=', accountId)
        .where((eb) => eb.or(keys.map((k) => eb.and([eb('principal', '=', k.principal), eb('key', '=', k.key)]))))
        .where('created_at', '<', cutoff)
        .where((eb) => eb.or([eb('status', '=', 'done'), eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
