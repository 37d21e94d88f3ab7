import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import { updateLocked } from '../../shared/db/locked-update.js';
import type { AccountsTable, MembersTable } from '../../shared/db/schema.js';

/** An account as read; columns with a database default are plain values here. */
export type AccountRow = Selectable<AccountsTable>;

export function createAccountsRepository({ db }: { db: Executor }) {
  return {
    async insertAccount(row: Insertable<AccountsTable>, executor: Executor = db): Promise<void> {
      await executor.insertInto('accounts').values(row).execute();
    },

    async insertMember(row: Insertable<MembersTable>, executor: Executor = db): Promise<void> {
      await executor.insertInto('members').values(row).execute();
    },

    async findAccount(id: string): Promise<AccountRow | undefined> {
      return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * Changes an account's settings, compared against them as stored when it writes
     * (locked-update.ts); returns the stored row, or undefined when there is no such account.
     */
    updateAccount(
      id: string,
      change: (row: AccountRow, at: string) => Omit<Updateable<AccountsTable>, 'id' | 'created_at' | 'updated_at'>,
    ): Promise<AccountRow | undefined> {
      return updateLocked(
        db,
        (trx) => trx.selectFrom('accounts').selectAll().where('id', '=', id),
        (trx, patch) => trx.updateTable('accounts').set(patch).where('id', '=', id).returningAll().executeTakeFirst(),
        change,
      );
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
