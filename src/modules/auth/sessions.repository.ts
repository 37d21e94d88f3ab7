import { isPostgres, type Executor } from '../../shared/db/database.js';
import type { SessionsTable } from '../../shared/db/schema.js';

export type SessionRow = SessionsTable;

/** A session with the member it belongs to, as the authenticator needs it. */
export interface SessionWithMember extends SessionRow {
  role: 'admin' | 'agent';
}

export function createSessionsRepository({ db }: { db: Executor }) {
  return {
    async insert(row: SessionRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('sessions').values(row).execute();
    },

    /**
     * The password hash of a new session's member as it stands now (undefined when the member is
     * gone), read in the transaction that inserts the session, after the insert, so a sign-in can
     * check that the password it verified is still the member's. PostgreSQL: `FOR SHARE` keeps the
     * row until commit, so a password change or a removal (they update or delete it) either waits
     * for the sign-in and then revokes or deletes its session, or commits first and this read sees
     * it. Shared, not `FOR UPDATE`: the insert's foreign-key check already holds a key-share lock
     * on the row, and two sign-ins of one member each upgrading to `FOR UPDATE` would deadlock.
     * SQLite: the insert already holds the database's write lock.
     */
    async memberPasswordHash(accountId: string, memberId: string, trx: Executor): Promise<string | undefined> {
      const q = trx.selectFrom('members').select('password_hash').where('account_id', '=', accountId).where('id', '=', memberId);
      return (await (isPostgres(trx) ? q.forShare() : q).executeTakeFirst())?.password_hash;
    },

    /**
     * A session by the hash of its token, with its member's current role (so a demotion takes
     * effect on the next request). The token is all the caller has, so, like an API key's prefix,
     * this lookup is the one that finds the account rather than filtering on it; the join stays
     * inside that account.
     */
    async findByTokenHash(tokenHash: string): Promise<SessionWithMember | undefined> {
      return db
        .selectFrom('sessions')
        .innerJoin('members', (j) =>
          j.onRef('members.id', '=', 'sessions.member_id').onRef('members.account_id', '=', 'sessions.account_id'),
        )
        .selectAll('sessions')
        .select('members.role')
        .where('sessions.token_hash', '=', tokenHash)
        .executeTakeFirst();
    },

    async findById(accountId: string, id: string): Promise<SessionRow | undefined> {
      return db.selectFrom('sessions').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    },

    async touch(accountId: string, id: string, at: string): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    async revoke(accountId: string, id: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },

    /** Ends every live session of a member except `keepId` (a password change keeps the caller's own). */
    async revokeOthers(accountId: string, memberId: string, keepId: string, at: string, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .where('id', '!=', keepId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    /** Forgets a member's sessions that can no longer be used, so the table does not grow without end. */
    async pruneDead(accountId: string, memberId: string, opts: { now: string; idleSince: string }): Promise<void> {
      await db
        .deleteFrom('sessions')
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .where((eb) =>
          eb.or([
            eb('revoked_at', 'is not', null),
            eb('expires_at', '<=', opts.now),
            eb('last_seen_at', '<=', opts.idleSince),
          ]),
        )
        .execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
