import { sql } from 'kysely';
import type { Executor } from '../../shared/db/database.js';

export function createIdleEndingRepository({ db }: { db: Executor }) {
  return {
    /**
     * Ends up to `limit` of an account's active conversations whose last activity (last message,
     * else creation) is before `cutoff`, as abandoned at `at`; returns how many it ended. The
     * outer `status = 'active'` is re-checked on each row as it is written, so two processes
     * working on the same account end each conversation once and never touch an ended one.
     * Returns the ids it ended.
     */
    async endIdleBatch(accountId: string, cutoff: string, at: string, limit: number, executor: Executor = db): Promise<string[]> {
      const rows = await executor
        .updateTable('conversations')
        .set({ status: 'ended', end_reason: 'abandoned', ended_at: at, updated_at: at })
        .where('account_id', '=', accountId)
        .where('status', '=', 'active')
        // A snoozed conversation is set aside on purpose until its time or the contact's reply.
        .where('snoozed_until', 'is', null)
        // Again here, not only in the subquery: on PostgreSQL an update that waited for a message's
        // transaction re-checks only these outer conditions against the row as that left it.
        .where(sql<string>`coalesce(last_message_at, created_at)`, '<', cutoff)
        .where((eb) => eb.or([eb('resumed_at', 'is', null), eb('resumed_at', '<', cutoff)]))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('conversations')
            .select('id')
            .where('account_id', '=', accountId)
            .where('status', '=', 'active')
            .where('snoozed_until', 'is', null)
            .where(sql<string>`coalesce(last_message_at, created_at)`, '<', cutoff)
            // Woken or reopened by a person: quiet since then, not since its last message.
            .where((eb) => eb.or([eb('resumed_at', 'is', null), eb('resumed_at', '<', cutoff)]))
            .orderBy('created_at', 'asc')
            .limit(limit),
        )
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}

export type IdleEndingRepository = ReturnType<typeof createIdleEndingRepository>;
