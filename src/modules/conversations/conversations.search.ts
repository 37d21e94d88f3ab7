import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../../shared/db/database.js';
import type { DB } from '../../shared/db/schema.js';
import { containsText } from '../../shared/db/like.js';

/** The words of a search, letters and digits only: safe to put into an FTS5 or tsquery expression. */
export function searchTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

type ConversationScope = ExpressionBuilder<DB & { c: DB['conversations'] }, 'c'>;

/** The roles whose messages a search never matches: system messages, and notes unless the searcher sees them. */
const unsearched = (withNotes: boolean) => sql.raw(withNotes ? `('system')` : `('system', 'note')`);

/**
 * How the search's parts are tested against a conversation row:
 * - `sets`: the contact, agent and message parts are uncorrelated, account-scoped `in (…)` sets,
 *   computed once per search (a correlated full-text subquery made a common word take seconds);
 *   right when every conversation of the account is looked at.
 * - `probe` (SQLite): each part is checked for the row at hand — its contact by key, its own
 *   messages against the full-text match — so looking at a few hundred conversations costs a few
 *   hundred lookups, not a pass over every match of a common word in the account.
 */
export type SearchForm = 'sets' | 'probe';

/**
 * Seed 003's search: conversation title and summary, message content (full-text, every word as a
 * prefix), the contact's name, email and phone, and the agent's name. The full-text part uses
 * FTS5 on SQLite and a tsvector on PostgreSQL; the short fields use a case-insensitive LIKE.
 * Internal notes are matched only `withNotes` (members), as only members may read them.
 */
export function conversationSearch(
  eb: ConversationScope,
  dialect: DialectName,
  q: string,
  accountId: string,
  form: SearchForm,
  withNotes: boolean,
): Expression<SqlBool> {
  const like = containsText(dialect, q.trim());
  const terms = searchTerms(q);
  const contactMatches = (w: ExpressionBuilder<DB & { ct: DB['contacts'] }, 'ct'>) =>
    w.or([like('ct.name'), like('ct.email'), like('ct.phone'), like('ct.first_name'), like('ct.last_name')]);
  const alternatives: Expression<SqlBool>[] = [
    like('c.title'),
    like('c.summary'),
    form === 'probe'
      ? eb.exists(
          eb
            .selectFrom('contacts as ct')
            .select(sql.lit(1).as('one'))
            .whereRef('ct.id', '=', 'c.contact_id')
            .whereRef('ct.account_id', '=', 'c.account_id')
            .where(contactMatches),
        )
      : eb(
          'c.contact_id',
          'in',
          eb.selectFrom('contacts as ct').select('ct.id').where('ct.account_id', '=', accountId).where(contactMatches),
        ),
    sql<SqlBool>`${sql.ref('c.agent_id')} in (${agentIds(accountId, like)})`,
  ];
  if (terms.length > 0) {
    if (dialect === 'postgres') {
      const tsquery = terms.map((t) => `${t}:*`).join(' & ');
      alternatives.push(
        sql<SqlBool>`${sql.ref('c.id')} in (select m.conversation_id from messages m where m.account_id = ${accountId}
          and m.role not in ${unsearched(withNotes)} and m.tsv @@ to_tsquery('english', ${tsquery}))`,
      );
    } else if (form === 'probe') {
      // The matching rowids are gathered once; each conversation's own messages (a short range
      // of messages_conversation_idx) are checked against them. `+m.id` keeps SQLite from
      // turning it around into one index seek per match for every conversation.
      alternatives.push(
        sql<SqlBool>`exists (select 1 from messages m where m.account_id = ${sql.ref('c.account_id')}
          and m.conversation_id = ${sql.ref('c.id')} and m.role not in ${unsearched(withNotes)}
          and +m.id in (select rowid from messages_fts where messages_fts match ${ftsMatch(terms)}))`,
      );
    } else {
      alternatives.push(sql<SqlBool>`${sql.ref('c.id')} in (${matchingConversationIds(terms, accountId, withNotes)})`);
    }
  }
  return eb.or(alternatives);
}

/** Every term as a prefix, all required (FTS5 query syntax; terms are letters and digits only). */
const ftsMatch = (terms: string[]) => terms.map((t) => `"${t}"*`).join(' ');

/** The account's agents whose name contains the search (a handful per account). */
const agentIds = (accountId: string, like: (column: string) => RawBuilder<SqlBool>) =>
  sql`select ag.id from agents ag where ag.account_id = ${accountId} and ${like('ag.name')}`;

/** SQLite: the account's conversations with a searchable message matching every term (FTS5). */
const matchingConversationIds = (terms: string[], accountId: string, withNotes: boolean) =>
  sql`select m.conversation_id from messages_fts f join messages m on m.id = f.rowid
    where messages_fts match ${ftsMatch(terms)} and m.account_id = ${accountId} and m.role not in ${unsearched(withNotes)}`;

/** The trigram tokenizer indexes substrings of three characters; shorter text has no entry. */
const TRIGRAM = 3;

/**
 * SQLite: `c.id in (…)` — the conversations that can match the search, found through indexes
 * only: the trigram indexes of conversation titles and summaries and of contacts (migration
 * 0009), the agents (a handful per account) and the messages' full-text index. A superset of the
 * matches (the trigram index folds case beyond ASCII, LIKE does not), so it is used together with
 * `conversationSearch`, which decides. Null when the search is too short for a trigram.
 */
export function searchCandidates(q: string, accountId: string, withNotes: boolean): RawBuilder<SqlBool> | null {
  const text = q.trim();
  if ([...text].length < TRIGRAM) return null;
  const phrase = `"${text.replace(/"/g, '""')}"`;
  const like = containsText('sqlite', text);
  const terms = searchTerms(q);
  const messages = terms.length > 0 ? sql`union all ${matchingConversationIds(terms, accountId, withNotes)}` : sql``;
  return sql<SqlBool>`${sql.ref('c.id')} in (
      select t.conversation_id from conversation_texts t
        where t.id in (select rowid from conversation_texts_fts where conversation_texts_fts match ${phrase})
      union all select c2.id from conversations c2 where c2.account_id = ${accountId}
        and c2.contact_id in (select rowid from contacts_fts where contacts_fts match ${phrase})
      union all select c3.id from conversations c3 where c3.account_id = ${accountId}
        and c3.agent_id in (${agentIds(accountId, like)})
      ${messages})`;
}
