import type { Database, Executor } from '../../shared/db/database.js';
import type { EventLog } from '../events/events.log.js';
import type { Task } from '../../shared/tasks/tasks.js';
import { createAccountsRepository } from './accounts.repository.js';
import { createIdleEndingRepository } from './idle-ending.repository.js';

export interface IdleEndingOptions {
  database: Database;
  eventLog: EventLog;
  /** Presents a conversation as committed so far in a transaction, for its `conversation.ended` event. */
  presentConversation(accountId: string, id: string, trx: Executor): Promise<unknown>;
  /** Writes the ended conversation's summary (extractive), in the same transaction. */
  summarize?(accountId: string, id: string, trx: Executor): Promise<void>;
  /** Conversations ended per statement: keeps each write (and its locks) short. */
  batchSize?: number;
  intervalMs?: number;
}

const ACCOUNTS_PER_PAGE = 500;

/**
 * Ends conversations left active with no activity for longer than their account's
 * `idle_end_minutes` (when above 0), with end reason `abandoned`. Idempotent and safe to run in
 * several processes at once; `run(now)` takes the clock as an argument so tests need not wait.
 */
export function createIdleEndingTask({
  database,
  eventLog,
  presentConversation,
  summarize,
  batchSize = 500,
  intervalMs = 60_000,
}: IdleEndingOptions): Task {
  const accounts = createAccountsRepository({ db: database.db });
  const idle = createIdleEndingRepository({ db: database.db });

  return {
    name: 'idle-ending',
    intervalMs,
    /** Returns how many conversations it ended. */
    async run(now: Date = new Date()): Promise<number> {
      const at = now.toISOString();
      let ended = 0;
      let afterId: string | null = null;
      for (;;) {
        const page = await accounts.listIdleEnding(afterId, ACCOUNTS_PER_PAGE);
        for (const account of page) {
          const cutoff = new Date(now.getTime() - account.idle_end_minutes * 60_000).toISOString();
          // Until a batch ends nothing: a short batch may only mean another process took some rows
          // from under it (they are skipped once it commits them as ended).
          for (;;) {
            // Each batch commits with one `conversation.ended` event per conversation it ended.
            const n = await eventLog.transaction(account.id, async (trx, emit) => {
              const ids = await idle.endIdleBatch(account.id, cutoff, at, batchSize, trx);
              for (const id of ids) {
                await summarize?.(account.id, id, trx);
                emit('conversation.ended', { conversation: await presentConversation(account.id, id, trx) });
              }
              return ids.length;
            });
            ended += n;
            if (n === 0) break;
          }
        }
        if (page.length < ACCOUNTS_PER_PAGE) return ended;
        afterId = page[page.length - 1].id;
      }
    },
  };
}
