import type { Executor } from '../../shared/db/database.js';
import type { AccountsTable, MembersTable } from '../../shared/db/schema.js';

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

    /** Whether any workspace exists yet (start-up seeds the first one). */
    async any(): Promise<boolean> {
      const row = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
