import type { Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import { accountRows } from '../../shared/db/account-rows.js';
import { containsText } from '../../shared/db/like.js';
import type { CannedResponsesTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type CannedResponseRow = Selectable<CannedResponsesTable>;

/** `owner_key` of a workspace response: one unique index then covers both scopes on both dialects. */
export const WORKSPACE_OWNER = '';

export function createCannedResponsesRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  const rows = accountRows(db, 'canned_responses');
  return {
    /** Throws a unique violation when the shortcut is taken in its scope (or by the same owner). */
    async insert(row: CannedResponseRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('canned_responses').values(row).execute();
    },
    findById: rows.findById,
    update: rows.update,
    delete: rows.delete,

    /**
     * The workspace's responses and the member's own, by shortcut then id, `limit + 1` of them;
     * never another member's personal ones.
     */
    async listVisible(
      accountId: string,
      memberId: string,
      query: { q?: string; after: CursorValue[] | null; limit: number },
      executor: Executor = db,
    ): Promise<CannedResponseRow[]> {
      let q = executor
        .selectFrom('canned_responses')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('owner_key', 'in', [WORKSPACE_OWNER, memberId]);
      const words = query.q?.trim();
      if (words) {
        const has = containsText(dialect, words);
        q = q.where((eb) => eb.or([has('shortcut'), has('title'), has('content')]));
      }
      if (query.after) q = q.where(afterKey(['shortcut', 'id'], query.after, 'asc'));
      return q.orderBy('shortcut').orderBy('id').limit(query.limit + 1).execute();
    },
  };
}

export type CannedResponsesRepository = ReturnType<typeof createCannedResponsesRepository>;
