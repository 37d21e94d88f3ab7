import type { Kysely } from 'kysely';
import { isPostgres, type Executor } from '../../shared/db/database.js';
import type { AccountsTable, DB, MembersTable } from '../../shared/db/schema.js';

export function createAccountsRepository({ db }: { db: Executor }) {
  return {
    async insertAccount(row: AccountsTable, executor: Executor = db): Promise<void> {
      await executor.insertInto('accounts').values(row).execute();
    },

    async insertMember(row: MembersTable, executor: Executor = db): Promise<void> {
      await executor.insertInto('members').values(row).execute();
    },

    async findAccount(id: string): Promise<AccountsTable | undefined> {
      return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Changes an account's settings; returns the stored row, or undefined when there is no such account. */
    async updateAccount(
      id: string,
      patch: Partial<Omit<AccountsTable, 'id' | 'created_at'>>,
      executor: Executor = db,
    ): Promise<AccountsTable | undefined> {
      return executor.updateTable('accounts').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
    },

    /** Settings' read-compare-write as one step, as `accountRows(…).updateLocked` does for other rows. */
    async updateAccountLocked(
      id: string,
      change: (row: AccountsTable) => Partial<Omit<AccountsTable, 'id' | 'created_at'>> | null,
    ): Promise<AccountsTable | undefined> {
      return (db as Kysely<DB>).transaction().execute(async (trx) => {
        const q = trx.selectFrom('accounts').selectAll().where('id', '=', id);
        const row = await (isPostgres(trx) ? q.forNoKeyUpdate() : q).executeTakeFirst();
        const patch = row && change(row);
        if (!row || !patch || Object.keys(patch).length === 0) return row;
        return trx.updateTable('accounts').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
      });
    },

    /**
     * One page (by id) of the accounts that end idle conversations, for the idle-ending task.
     * It reads the accounts table itself, so no tenant's data is joined with another's.
     */
    async listIdleEnding(afterId: string | null, limit: number): Promise<Array<Pick<AccountsTable, 'id' | 'idle_end_minutes'>>> {
      let q = db.selectFrom('accounts').select(['id', 'idle_end_minutes']).where('idle_end_minutes', '>', 0);
      if (afterId !== null) q = q.where('id', '>', afterId);
      return q.orderBy('id', 'asc').limit(limit).execute();
    },

    /** Whether any workspace exists yet (start-up seeds the first one). */
    async any(): Promise<boolean> {
      const row = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
