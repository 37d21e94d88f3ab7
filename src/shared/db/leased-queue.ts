import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { DialectName, Executor } from './database.js';
import type { DB } from './schema.js';

/** Tables a worker claims rows of: each has status, next_attempt_at, locked_until, attempts. */
type LeasedTable = 'webhook_deliveries' | 'channel_deliveries' | 'exports';
interface LeasedRow {
  id: string;
  status: string;
  next_attempt_at: string | null;
  locked_until: string | null;
  attempts: number;
  updated_at: string;
}

/**
 * Claims up to `limit` due rows of an outbox table, of any account, until `leaseUntil`: rows
 * `waiting` (the table's queued status) whose time has come, and rows left `claimedStatus`
 * (`sending` unless the table says otherwise) by a worker whose lease ran out (it crashed). Each
 * claim counts as an attempt, and the new count is the fencing token of the worker's outcome
 * write. Rows another process is claiming are skipped (SKIP LOCKED on PostgreSQL; SQLite has one
 * writer), and the update re-checks that each row is still due, so no row is ever claimed twice.
 */
export async function claimDue<T extends LeasedTable>(
  db: Executor,
  dialect: DialectName,
  table: T,
  waiting: string,
  now: string,
  leaseUntil: string,
  limit: number,
  claimedStatus = 'sending',
): Promise<Selectable<DB[T]>[]> {
  // The two tables share these columns; Kysely cannot see that through a union of table names.
  const q = db as unknown as Kysely<Record<LeasedTable, LeasedRow>>;
  const isDue = (eb: ExpressionBuilder<Record<LeasedTable, LeasedRow>, LeasedTable>) =>
    eb.or([
      eb.and([eb('status', '=', waiting), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', claimedStatus), eb('locked_until', '<=', now)]),
    ]);
  return q.transaction().execute(async (trx) => {
    let select = trx
      .selectFrom(table as LeasedTable)
      .select('id')
      .where(isDue)
      .orderBy('next_attempt_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit);
    if (dialect === 'postgres') select = select.forUpdate().skipLocked();
    const ids = (await select.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    const claimed = await trx
      .updateTable(table as LeasedTable)
      .set((eb) => ({ status: claimedStatus, locked_until: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', ids)
      .where(isDue)
      .returningAll()
      .execute();
    return claimed as unknown as Selectable<DB[T]>[];
  });
}
