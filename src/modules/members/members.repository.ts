import type { DialectName, Executor } from '../../shared/db/database.js';
import type { Insertable, Selectable } from 'kysely';
import type { MembersTable } from '../../shared/db/schema.js';
import { accountRows } from '../../shared/db/account-rows.js';
import type { CursorValue } from '../../shared/pagination/pagination.js';

export type MemberRow = Selectable<MembersTable>;

export function createMembersRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  const rows = accountRows(db, 'members');
  return {
    async insert(row: Insertable<MembersTable>, executor: Executor = db): Promise<void> {
      await executor.insertInto('members').values(row).execute();
    },

    findById: rows.findById,
    /** A member's own availability; the stored row, or undefined when gone. */
    setAvailability: (accountId: string, id: string, patch: Pick<MemberRow, 'availability' | 'availability_at'>) => rows.update(accountId, id, patch),
    findShared: rows.findShared,

    /**
     * Every member with this email, oldest first, in every account unless one is named. Login is
     * the one caller: the email is all it knows before the password picks the member (and so the
     * account), like an API key's prefix. Capped, because login verifies the password against
     * each candidate and each verification is a deliberately slow scrypt.
     */
    async findByEmail(email: string, accountId?: string, executor: Executor = db): Promise<MemberRow[]> {
      let q = executor.selectFrom('members').selectAll().where('email', '=', email);
      if (accountId !== undefined) q = q.where('account_id', '=', accountId);
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(20).execute();
    },

    /** Members of an account, oldest first. */
    list: (accountId: string, opts: { after: CursorValue[] | null; limit: number }) => rows.list(accountId, opts),

    async update(
      accountId: string,
      id: string,
      patch: Partial<Pick<MemberRow, 'role' | 'name' | 'password_hash' | 'updated_at'>>,
      executor: Executor = db,
    ): Promise<void> {
      await executor.updateTable('members').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    /**
     * Replaces the password only if it is still the one just verified (`expectedHash`): false when
     * another change came first (or the member is gone), so of two changes made with the same
     * current password one wins and the other is told so, instead of both succeeding.
     */
    async replacePasswordHash(
      accountId: string,
      id: string,
      expectedHash: string,
      next: { password_hash: string; updated_at: string },
      executor: Executor,
    ): Promise<boolean> {
      const res = await executor
        .updateTable('members')
        .set(next)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('password_hash', '=', expectedHash)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async remove(accountId: string, id: string, executor: Executor): Promise<void> {
      await rows.delete(accountId, id, executor);
    },

    /**
     * Serialises changes to an account's admins until the transaction ends, so two concurrent
     * demotions cannot each see the other admin and leave none. PostgreSQL: a row lock on the
     * account, `FOR NO KEY UPDATE`: it excludes the other admin changes but not the key-share locks
     * that every insert referencing the account takes (events, …), so a write that is waiting on
     * this transaction (an assignment to the member being removed) cannot deadlock with it.
     * SQLite: a no-op write takes the database's write lock up front (a read-then-write
     * transaction could otherwise fail with SQLITE_BUSY against another process).
     */
    async lockAccount(accountId: string, executor: Executor): Promise<void> {
      if (dialect === 'postgres') {
        await executor.selectFrom('accounts').select('id').where('id', '=', accountId).forNoKeyUpdate().execute();
      } else {
        await executor.updateTable('accounts').set((eb) => ({ id: eb.ref('id') })).where('id', '=', accountId).execute();
      }
    },

    async countAdmins(accountId: string, executor: Executor): Promise<number> {
      const row = await executor
        .selectFrom('members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

  };
}

export type MembersRepository = ReturnType<typeof createMembersRepository>;
