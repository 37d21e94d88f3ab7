import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { MemberInvitationsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type InvitationRow = Selectable<MemberInvitationsTable>;

export function createInvitationsRepository({ db }: { db: Executor }) {
  /** Invitations that can still be accepted at `now`: neither used, revoked nor expired. */
  const pending = (executor: Executor, now: string) =>
    executor
      .selectFrom('member_invitations')
      .selectAll()
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now);

  return {
    async insert(row: InvitationRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('member_invitations').values(row).execute();
    },

    /** The account's pending invitations, oldest first, `limit + 1` of them. */
    async listPending(accountId: string, now: string, page: { after: CursorValue[] | null; limit: number }): Promise<InvitationRow[]> {
      let q = pending(db, now).where('account_id', '=', accountId);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit + 1).execute();
    },

    /**
     * A pending invitation by the hash of its token. The token is all its bearer has, so, like a
     * session's, this lookup finds the account rather than filtering on it.
     */
    async findPendingByTokenHash(tokenHash: string, now: string): Promise<InvitationRow | undefined> {
      return pending(db, now).where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    /**
     * Marks a pending invitation used by `memberId`, in one statement, so of two acceptances of one
     * link exactly one changes the row; the other finds it used (undefined).
     */
    async claim(tokenHash: string, now: string, memberId: string, executor: Executor): Promise<InvitationRow | undefined> {
      return executor
        .updateTable('member_invitations')
        .set({ accepted_at: now, member_id: memberId })
        .where('token_hash', '=', tokenHash)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
    },

    /** Revokes the pending invitations of an email (a new invitation supersedes them). */
    async revokePendingFor(accountId: string, email: string, now: string, executor: Executor): Promise<void> {
      await executor
        .updateTable('member_invitations')
        .set({ revoked_at: now })
        .where('account_id', '=', accountId)
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
    },

    /** Revokes one pending invitation; false when there is none by that id in the account. */
    async revoke(accountId: string, id: string, now: string): Promise<boolean> {
      const res = await db
        .updateTable('member_invitations')
        .set({ revoked_at: now })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  };
}

export type InvitationsRepository = ReturnType<typeof createInvitationsRepository>;
