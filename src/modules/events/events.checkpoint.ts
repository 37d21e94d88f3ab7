import type { Database } from '../../shared/db/database.js';
import type { EventRow, EventsRepository } from './events.repository.js';
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

/**
 * A consumer of the whole event log: reads the events after its checkpoint in batches and hands
 * each batch to `handle`, which returns how much it did; the position moves past a batch only once
 * `handle` has finished with it (at-least-once: a batch that fails is read again). Calls of `run` in
 * one process queue behind each other; other processes are kept out by the checkpoint.
 */
export function createLogConsumer({
  database,
  name,
  events,
  batchSize,
  handle,
}: {
  database: Database;
  name: string;
  events: Pick<EventsRepository, 'listAll'>;
  batchSize: number;
  handle: (rows: EventRow[]) => Promise<number>;
}) {
  const checkpoint = createEventCheckpoint({ database, name });

  async function drain(): Promise<number> {
    let done = 0;
    for (;;) {
      let read = 0;
      const advanced = await checkpoint.advance(async (after) => {
        const rows = await events.listAll(after, batchSize);
        read = rows.length;
        done += await handle(rows);
        return rows.at(-1)?.id ?? after;
      });
      if (!advanced || read < batchSize) return done;
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    /** Handles every event committed so far; returns the sum of what `handle` returned. */
    run(): Promise<number> {
      const next = queue.then(drain);
      queue = next.catch(() => undefined);
      return next;
    },
    position: () => checkpoint.position(),
  };
}
