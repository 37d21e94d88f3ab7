import type { Executor } from '../../shared/db/database.js';

/** The queries of the task that wakes snoozed conversations whose time has come. */
export function createWakeRepository({ db }: { db: Executor }) {
  return {
    /** Up to `limit` active conversations, of any account, snoozed until `now` or earlier. */
    async due(now: string, limit: number): Promise<Array<{ account_id: string; id: string }>> {
      return db
        .selectFrom('conversations')
        .select(['account_id', 'id'])
        .where('snoozed_until', '<=', now)
        .where('status', '=', 'active')
        .orderBy('snoozed_until')
        .limit(limit)
        .execute();
    },

    /**
     * Wakes those of `ids` still snoozed until `now` or earlier; returns the ids it woke. The
     * condition is checked again as each row is written, so a conversation snoozed anew, woken by
     * a message, or woken by another process meanwhile is left alone (and announced once).
     */
    async wake(accountId: string, ids: string[], now: string, executor: Executor): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await executor
        .updateTable('conversations')
        .set({ snoozed_until: null, resumed_at: now, updated_at: now })
        .where('account_id', '=', accountId)
        .where('id', 'in', ids)
        .where('status', '=', 'active')
        .where('snoozed_until', '<=', now)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
