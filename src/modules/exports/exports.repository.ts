import { type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { ExportsTable } from '../../shared/db/schema.js';
import { claimDue } from '../../shared/db/leased-queue.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type ExportRow = Selectable<ExportsTable>;
export type NewExportRow = Insertable<ExportsTable>;

/** The export jobs: requests, the worker's claims and checkpoints, expiry. */
export function createExportsRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  return {
    async insert(row: NewExportRow): Promise<void> {
      await db.insertInto('exports').values(row).execute();
    },

    async findById(accountId: string, id: string): Promise<ExportRow | undefined> {
      return db.selectFrom('exports').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    },

    /** By id alone: the download link proves itself with its token, not with an account. */
    async findForDownload(id: string): Promise<ExportRow | undefined> {
      return db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Newest first (ids are time-ordered). */
    async list(accountId: string, after: CursorValue[] | null, limit: number): Promise<ExportRow[]> {
      let q = db.selectFrom('exports').selectAll().where('account_id', '=', accountId);
      if (after) q = q.where(afterKey(['id'], after, 'desc'));
      return q.orderBy('id', 'desc').limit(limit + 1).execute();
    },

    /** How many of the account's exports are waiting or being written. */
    async unfinishedCount(accountId: string): Promise<number> {
      const row = await db
        .selectFrom('exports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('status', 'in', ['pending', 'running'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Whether the account has this agent or channel (the filters name only the account's own). */
    async owns(table: 'agents' | 'channels', accountId: string, id: string): Promise<boolean> {
      const row = await db.selectFrom(table).select('id').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return row !== undefined;
    },

    /** Claims due exports (pending, or running under a lease that ran out) for a worker. */
    claim(now: string, leaseUntil: string, limit: number): Promise<ExportRow[]> {
      return claimDue(db, dialect, 'exports', 'pending', now, leaseUntil, limit, 'running');
    },

    /**
     * Saves a claimed export's progress (and renews its lease), fenced by the claim's attempt
     * count: false when another worker has claimed it since, and this one must stop.
     */
    async checkpoint(id: string, attempts: number, changes: Updateable<ExportsTable>): Promise<boolean> {
      const result = await db
        .updateTable('exports')
        .set(changes)
        .where('id', '=', id)
        .where('attempts', '=', attempts)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Finished exports whose link has run out, oldest first. */
    async expiredDone(now: string, limit: number): Promise<ExportRow[]> {
      return db
        .selectFrom('exports')
        .selectAll()
        .where('status', '=', 'done')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(limit)
        .execute();
    },

    async markExpired(id: string, now: string): Promise<void> {
      await db
        .updateTable('exports')
        .set({ status: 'expired', file_key: null, download_token: null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'done')
        .execute();
    },
  };
}

export type ExportsRepository = ReturnType<typeof createExportsRepository>;
