import type { Database, Executor } from '../../shared/db/database.js';
import type { Task } from '../../shared/tasks/tasks.js';
import type { EventLog } from '../events/events.log.js';
import { unsnoozedEvent } from './conversations.snooze.js';
import { createWakeRepository } from './conversations.wake.repository.js';

const BATCH = 200;

/**
 * Brings back snoozed conversations whose time has come, each announced by
 * `conversation.unsnoozed` with reason `time`. Safe in several processes at once (a conversation
 * is woken by whichever writes it first); `run(now)` takes the clock so tests need not wait.
 */
export function createSnoozeWakeTask({
  database,
  eventLog,
  presentConversation,
  intervalMs = 10_000,
}: {
  database: Database;
  eventLog: EventLog;
  /** A conversation as committed so far in a transaction, for its event. */
  presentConversation(accountId: string, id: string, trx: Executor): Promise<unknown>;
  intervalMs?: number;
}): Task {
  const repo = createWakeRepository({ db: database.db });
  return {
    name: 'snooze-wake',
    intervalMs,
    async run(now: Date = new Date()): Promise<number> {
      const at = now.toISOString();
      let woken = 0;
      for (;;) {
        const due = await repo.due(at, BATCH);
        const byAccount = new Map<string, string[]>();
        for (const row of due) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row.id]);
        let n = 0;
        for (const [accountId, ids] of byAccount) {
          n += await eventLog.transaction(accountId, async (trx, emit) => {
            const woke = await repo.wake(accountId, ids, at, trx);
            const { type, data } = unsnoozedEvent('time');
            for (const id of woke) emit(type, { conversation: await presentConversation(accountId, id, trx), ...data });
            return woke.length;
          });
        }
        woken += n;
        // A short batch is the last; a batch that woke nothing was taken by another process.
        if (due.length < BATCH || n === 0) return woken;
      }
    },
  };
}
