import type { Database } from '../../shared/db/database.js';
import { nowIso } from '../../shared/time.js';

/**
 * A log consumer's position in the event log (`event_consumers`), advanced by one process at a
 * time. Generic on purpose: any consumer of the log can use it under its own name.
 *
 * PostgreSQL: the consumer's row is locked `FOR UPDATE SKIP LOCKED` for the whole batch, so a second
 * process skips the round instead of processing the same events; the lock holds only that row, and
 * the batch's own writes (actions, run records) commit on other connections as they happen.
 * SQLite: one process, one writer; a transaction there would hold the only connection the batch's
 * own writes need, so the position is read and written without one.
 */
export function createEventCheckpoint({ database, name }: { database: Database; name: string }) {
  const { db, dialect } = database;

  async function ensureRow(): Promise<void> {
    await db
      .insertInto('event_consumers')
      .values({ name, last_event_id: 0, updated_at: nowIso() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  return {
    /**
     * Calls `process(after)` with the last event id handled and stores the id it returns as the new
     * position. Returns false (without calling it) when another process is advancing this consumer.
     * If `process` throws, the position stays where it was and the error propagates.
     */
    async advance(process: (after: number) => Promise<number>): Promise<boolean> {
      await ensureRow();
      if (dialect === 'sqlite') {
        const row = await db.selectFrom('event_consumers').select('last_event_id').where('name', '=', name).executeTakeFirstOrThrow();
        const next = await process(row.last_event_id);
        if (next !== row.last_event_id) {
          await db.updateTable('event_consumers').set({ last_event_id: next, updated_at: nowIso() }).where('name', '=', name).execute();
        }
        return true;
      }
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('event_consumers')
          .select('last_event_id')
          .where('name', '=', name)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return false;
        const next = await process(row.last_event_id);
        if (next !== row.last_event_id) {
          await trx.updateTable('event_consumers').set({ last_event_id: next, updated_at: nowIso() }).where('name', '=', name).execute();
        }
        return true;
      });
    },

    /** The last event id handled (0 before the first run). */
    async position(): Promise<number> {
      const row = await db.selectFrom('event_consumers').select('last_event_id').where('name', '=', name).executeTakeFirst();
      return row?.last_event_id ?? 0;
    },
  };
}

export type EventCheckpoint = ReturnType<typeof createEventCheckpoint>;
