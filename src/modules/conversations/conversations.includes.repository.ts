import { sql } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { ContactRow } from '../contacts/contacts.repository.js';

/** The most a list row shows of its last message. */
export const LAST_MESSAGE_CHARS = 200;

const PUBLIC_ROLES = ['user', 'assistant', 'operator'] as const;
const MEMBER_ROLES = [...PUBLIC_ROLES, 'note'] as const;

export interface LastMessageRow {
  id: number;
  conversation_id: string;
  role: 'user' | 'assistant' | 'operator' | 'note';
  content: string;
  author_type: string | null;
  author_name: string | null;
  created_at: string;
}

/**
 * What a page of conversations embeds with `include`: one query per kind for the whole page,
 * never one per row.
 */
export function createConversationIncludesRepository({ db }: { db: Executor }) {
  return {
    /** The contacts of a page, by id. */
    async contacts(accountId: string, ids: number[]): Promise<Map<number, ContactRow>> {
      const out = new Map<number, ContactRow>();
      const distinct = [...new Set(ids)];
      if (distinct.length === 0) return out;
      const rows = await db.selectFrom('contacts').selectAll().where('account_id', '=', accountId).where('id', 'in', distinct).execute();
      for (const row of rows) out.set(Number(row.id), row);
      return out;
    },

    /**
     * The last completed message each conversation shows (notes only when `withNotes`), its
     * content cut to LAST_MESSAGE_CHARS in SQL so a long message is not read whole.
     */
    async lastMessages(accountId: string, conversationIds: string[], withNotes: boolean): Promise<Map<string, LastMessageRow>> {
      const out = new Map<string, LastMessageRow>();
      if (conversationIds.length === 0) return out;
      const roles = (withNotes ? MEMBER_ROLES : PUBLIC_ROLES).map((r) => sql.lit(r));
      const ranked = db
        .selectFrom('messages')
        .select(['id', 'conversation_id', 'role', 'author_type', 'author_name', 'created_at'])
        .select(sql<string>`substr(content, 1, ${sql.lit(LAST_MESSAGE_CHARS)})`.as('content'))
        .select((eb) => eb.fn.agg<number>('row_number').over((o) => o.partitionBy('conversation_id').orderBy('id', 'desc')).as('rn'))
        .where('account_id', '=', accountId)
        .where('conversation_id', 'in', conversationIds)
        .where('role', 'in', roles)
        .where('status', '=', sql.lit('completed'))
        .as('ranked');
      const rows = await db.selectFrom(ranked).selectAll().where('rn', '=', 1).execute();
      for (const { rn: _rn, ...row } of rows) out.set(row.conversation_id, { ...row, id: Number(row.id) } as LastMessageRow);
      return out;
    },
  };
}

export type ConversationIncludesRepository = ReturnType<typeof createConversationIncludesRepository>;
