import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { ConversationStatesTable } from '../../shared/db/schema.js';
import { accountRows } from '../../shared/db/account-rows.js';
import type { CursorValue } from '../../shared/pagination/pagination.js';

export type ConversationStateRow = Selectable<ConversationStatesTable>;

export function createConversationStatesRepository({ db }: { db: Executor }) {
  const rows = accountRows(db, 'conversation_states');
  return {
    /** Throws a unique violation when the name is taken in the account. */
    async insert(row: ConversationStateRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('conversation_states').values(row).execute();
    },

    findById: rows.findById,
    findShared: rows.findShared,
    /** States oldest first: the order an admin defined them in. */
    list: (accountId: string, page: { after: CursorValue[] | null; limit: number }) => rows.list(accountId, page),
    /** A taken name throws a unique violation. */
    updateLocked: rows.updateLocked,
    delete: rows.delete,
  };
}

export type ConversationStatesRepository = ReturnType<typeof createConversationStatesRepository>;
