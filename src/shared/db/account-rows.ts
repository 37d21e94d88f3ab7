import type { Kysely, Selectable, Updateable } from 'kysely';
import { afterKey, type CursorValue } from '../pagination/pagination.js';
import { isPostgres, type Executor } from './database.js';
import { updateLocked, type RowRead } from './locked-update.js';
import type { DB } from './schema.js';

/** Tables whose rows belong to an account, keyed by a text `id`, listed oldest first. */
type AccountTable = {
  [K in keyof DB]: DB[K] extends { account_id: string; id: string; created_at: string } ? K : never;
}[keyof DB];

/** Equality filters of a list: a column and the value it must have; undefined means no filter. */
type Filters<T extends AccountTable> = { [C in keyof DB[T]]?: unknown };

/**
 * The reads and writes every account-scoped table has — one row by id, a change returning the
 * stored row, a delete, and pages oldest first by (created_at, id), so a page boundary never moves
 * when rows are added. Every statement names the account: another account's id finds nothing.
 * Repositories spread what they need and add their own queries beside it.
 */
export function accountRows<T extends AccountTable>(db: Executor, table: T) {
  type Row = Selectable<DB[T]>;
  // Kysely cannot follow a table name that is a type parameter; the signatures below are typed.
  const on = (executor: Executor) => executor as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const name: string = table;
  const byId = (accountId: string, id: string, executor: Executor) =>
    on(executor).selectFrom(name).selectAll().where('account_id', '=', accountId).where('id', '=', id);
  async function update(accountId: string, id: string, patch: Updateable<DB[T]>, executor: Executor = db): Promise<Row | undefined> {
    const row = await on(executor)
      .updateTable(name)
      .set(patch as Record<string, unknown>)
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row as Row | undefined;
  }
  return {
    async findById(accountId: string, id: string, executor: Executor = db): Promise<Row | undefined> {
      return (await byId(accountId, id, executor).executeTakeFirst()) as Row | undefined;
    },

    /**
     * The row, read inside `trx` so that it stays there until the transaction ends: on PostgreSQL
     * `FOR KEY SHARE` makes a concurrent delete wait (and a delete already under way makes this
     * wait, then find nothing), while changes to the row go on; SQLite runs one writer at a time
     * anyway. For a write that is about to point at the row: through a column with no foreign key
     * (a conversation's channel, state or assignee, whose deleter removes the row first and then
     * clears what points at it), or through one whose failure would fail the whole write (a
     * webhook delivery's endpoint).
     */
    async findShared(accountId: string, id: string, trx: Executor): Promise<Row | undefined> {
      const q = byId(accountId, id, trx);
      return (await (isPostgres(trx) ? q.forKeyShare() : q).executeTakeFirst()) as Row | undefined;
    },

    /** Applies a change and returns the stored row, or undefined when the row is gone. */
    update,

    /** A PATCH of one row, compared against the row as stored when it writes (see locked-update.ts). */
    updateLocked(
      accountId: string,
      id: string,
      change: (row: Row, at: string, trx: Executor) => Updateable<DB[T]> | Promise<Updateable<DB[T]>>,
    ): Promise<Row | undefined> {
      return updateLocked(
        db,
        (trx) => byId(accountId, id, trx) as unknown as RowRead<Row>,
        (trx, patch) => update(accountId, id, patch, trx),
        change,
      );
    },

    /** Deletes a row; false when there was none. */
    async delete(accountId: string, id: string, executor: Executor = db): Promise<boolean> {
      const res = await on(executor).deleteFrom(name).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    /** A page of the account's rows, oldest first, `limit + 1` of them so the caller knows whether more follow. */
    async list(accountId: string, page: { after: CursorValue[] | null; limit: number }, filters: Filters<T> = {}): Promise<Row[]> {
      let q = on(db).selectFrom(name).selectAll().where('account_id', '=', accountId);
      for (const [column, value] of Object.entries(filters)) {
        if (value !== undefined) q = q.where(column, '=', value);
      }
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'asc'));
      const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit + 1).execute();
      return rows as Row[];
    },
  };
}
