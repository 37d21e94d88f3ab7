import { sql, type RawBuilder } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
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
export function createConversationIncludesRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
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
     * content cut to LAST_MESSAGE_CHARS in SQL so a long message is not read whole. One query for
     * the page, made of one index seek per conversation, backwards from its newest message: a
     * window over all of the page's messages read and sorted every message of every row (about
     * five times the cost for a page of 50 at ten messages each, and growing with long threads).
     */
    async lastMessages(accountId: string, conversationIds: string[], withNotes: boolean): Promise<Map<string, LastMessageRow>> {
      const out = new Map<string, LastMessageRow>();
      if (conversationIds.length === 0) return out;
      const roles = sql.join((withNotes ? MEMBER_ROLES : PUBLIC_ROLES).map((r) => sql.lit(r)));
      const newest = (conversation: RawBuilder<unknown>) => sql`
        select x.id from messages x
        where x.account_id = ${accountId} and x.conversation_id = ${conversation}
          and x.role in (${roles}) and x.status = 'completed'
        order by x.id desc limit 1`;
      const columns = sql`m.id, m.conversation_id, m.role, m.author_type, m.author_name, m.created_at, substr(m.content, 1, ${sql.lit(LAST_MESSAGE_CHARS)}) as content`;
      const query =
        dialect === 'postgres'
          ? sql<LastMessageRow>`select ${columns} from unnest(${conversationIds}::text[]) as c(id)
              cross join lateral (select * from messages m where m.id = (${newest(sql`c.id`)})) m`
          : sql<LastMessageRow>`select ${columns} from json_each(${JSON.stringify(conversationIds)}) c
              join messages m on m.id = (${newest(sql`c.value`)})`;
      const { rows } = await query.execute(db);
      for (const row of rows) out.set(row.conversation_id, { ...row, id: Number(row.id) });
      return out;
    },
  };
}

export type ConversationIncludesRepository = ReturnType<typeof createConversationIncludesRepository>;
