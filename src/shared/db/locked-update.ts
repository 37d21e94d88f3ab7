import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../time.js';
import { isPostgres, type Executor } from './database.js';
import type { DB } from './schema.js';

/** A read of one row that can be locked for an update (a Kysely select). */
export interface RowRead<Row> {
  forNoKeyUpdate(): RowRead<Row>;
  executeTakeFirst(): Promise<Row | undefined>;
}

/**
 * A PATCH's read-compare-write as one step. The row is read inside a transaction, locked on
 * PostgreSQL (`FOR NO KEY UPDATE`: other changes to it wait, a `FOR KEY SHARE` reader does not),
 * and on SQLite by the one connection that transaction holds. `change` gets the row as stored now
 * and the time of the change (and the transaction, for reads the check needs), and answers the columns to change (none: the row is left as it is);
 * `updated_at` is set to that time when anything changes. Returns the row as stored afterwards, or
 * undefined when it is gone. Two PATCHes of one row thus apply one after the other, the second
 * compared against what the first wrote, and each answers what it left stored. Anything `change`
 * throws (a validation error) rolls the transaction back.
 */
export function updateLocked<Row, Patch extends object>(
  db: Executor,
  read: (trx: Transaction<DB>) => RowRead<Row>,
  write: (trx: Transaction<DB>, patch: Patch & { updated_at: string }) => Promise<Row | undefined>,
  change: (row: Row, at: string, trx: Transaction<DB>) => Patch | Promise<Patch>,
): Promise<Row | undefined> {
  return (db as Kysely<DB>).transaction().execute(async (trx) => {
    const q = read(trx);
    const row = await (isPostgres(trx) ? q.forNoKeyUpdate() : q).executeTakeFirst();
    if (!row) return undefined;
    const at = nowIso();
    const patch = await change(row, at, trx);
    if (Object.keys(patch).length === 0) return row;
    return write(trx, { ...patch, updated_at: at });
  });
}
