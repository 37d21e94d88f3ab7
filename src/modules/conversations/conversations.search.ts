import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../../shared/db/database.js';
import type { DB } from '../../shared/db/schema.js';
import { containsText } from '../../shared/db/like.js';

/** The words of a search, letters and digits only: safe to put into an FTS5 or tsquery expression. */
export function searchTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}


/**
 * Seed 003's search: conversation title and summary, message content (full-text, every word as a
 * prefix), the contact's name, email and phone, and the agent's name. The full-text part uses
 * FTS5 on SQLite and a tsvector on PostgreSQL; the short fields use a case-insensitive LIKE.
 */
export function conversationSearch(
  eb: ExpressionBuilder<DB & { c: DB['conversations'] }, 'c'>,
  dialect: DialectName,
  q: string,
): Expression<SqlBool> {
  const like = containsText(dialect, q.trim());
  const terms = searchTerms(q);
  const alternatives: Expression<SqlBool>[] = [
    like('c.title'),
    like('c.summary'),
    eb.exists(
      eb
        .selectFrom('contacts as ct')
        .select(sql.lit(1).as('one'))
        .whereRef('ct.account_id', '=', 'c.account_id')
        .whereRef('ct.id', '=', 'c.contact_id')
        .where((w) =>
          w.or([like('ct.name'), like('ct.email'), like('ct.phone'), like('ct.first_name'), like('ct.last_name')]),
        ),
    ),
    eb.exists(
      eb
        .selectFrom('agents as ag')
        .select(sql.lit(1).as('one'))
        .whereRef('ag.account_id', '=', 'c.account_id')
        .whereRef('ag.id', '=', 'c.agent_id')
        .where(like('ag.name')),
    ),
  ];
  if (terms.length > 0) {
    if (dialect === 'postgres') {
      const tsquery = terms.map((t) => `${t}:*`).join(' & ');
      alternatives.push(
        sql<SqlBool>`exists (select 1 from messages m where m.account_id = ${sql.ref('c.account_id')}
          and m.conversation_id = ${sql.ref('c.id')} and m.role <> 'system'
          and m.tsv @@ to_tsquery('english', ${tsquery}))`,
      );
    } else {
      const match = terms.map((t) => `"${t}"*`).join(' ');
      alternatives.push(
        sql<SqlBool>`${sql.ref('c.id')} in (select m.conversation_id from messages_fts f
          join messages m on m.id = f.rowid
          where messages_fts match ${match} and m.account_id = ${sql.ref('c.account_id')} and m.role <> 'system')`,
      );
    }
  }
  return eb.or(alternatives);
}
