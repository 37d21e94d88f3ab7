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
 *
 * The contact, agent and message parts are uncorrelated `in (…)` sets scoped to the account, so
 * the database computes each once per search (from the full-text index, one pass over the
 * account's contacts) instead of once per conversation row it looks at: a correlated full-text
 * subquery made a common word take seconds at 100k messages.
 */
export function conversationSearch(
  eb: ExpressionBuilder<DB & { c: DB['conversations'] }, 'c'>,
  dialect: DialectName,
  q: string,
  accountId: string,
): Expression<SqlBool> {
  const like = containsText(dialect, q.trim());
  const terms = searchTerms(q);
  const alternatives: Expression<SqlBool>[] = [
    like('c.title'),
    like('c.summary'),
    eb(
      'c.contact_id',
      'in',
      eb
        .selectFrom('contacts as ct')
        .select('ct.id')
        .where('ct.account_id', '=', accountId)
        .where((w) =>
          w.or([like('ct.name'), like('ct.email'), like('ct.phone'), like('ct.first_name'), like('ct.last_name')]),
        ),
    ),
    eb(
      'c.agent_id',
      'in',
      eb.selectFrom('agents as ag').select('ag.id').where('ag.account_id', '=', accountId).where(like('ag.name')),
    ),
  ];
  if (terms.length > 0) {
    if (dialect === 'postgres') {
      const tsquery = terms.map((t) => `${t}:*`).join(' & ');
      alternatives.push(
        sql<SqlBool>`${sql.ref('c.id')} in (select m.conversation_id from messages m where m.account_id = ${accountId}
          and m.role <> 'system' and m.tsv @@ to_tsquery('english', ${tsquery}))`,
      );
    } else {
      const match = terms.map((t) => `"${t}"*`).join(' ');
      alternatives.push(
        sql<SqlBool>`${sql.ref('c.id')} in (select m.conversation_id from messages_fts f
          join messages m on m.id = f.rowid
          where messages_fts match ${match} and m.account_id = ${accountId} and m.role <> 'system')`,
      );
    }
  }
  return eb.or(alternatives);
}
