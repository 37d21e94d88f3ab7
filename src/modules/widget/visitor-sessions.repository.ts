import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { VisitorSessionsTable } from '../../shared/db/schema.js';

export type VisitorSessionRow = Selectable<VisitorSessionsTable>;

export function createVisitorSessionsRepository({ db }: { db: Executor }) {
  return {
    async insert(row: VisitorSessionRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('visitor_sessions').values(row).execute();
    },

    /** A session by its token's hash, in any account: the token is the visitor's only credential. */
    async findByTokenHash(tokenHash: string, executor: Executor = db): Promise<VisitorSessionRow | undefined> {
      return executor.selectFrom('visitor_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    /** Marks the session used now and moves its expiry on (a year from its last use). */
    async touch(accountId: string, id: string, at: string, expiresAt: string, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('visitor_sessions')
        .set({ last_seen_at: at, expires_at: expiresAt })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    },

    async revoke(accountId: string, id: string, at: string, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('visitor_sessions')
        .set({ revoked_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}

export type VisitorSessionsRepository = ReturnType<typeof createVisitorSessionsRepository>;
