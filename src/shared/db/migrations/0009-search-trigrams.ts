import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * SQLite: trigram indexes for the conversation search's "contains" fields, so a search for a
 * rare word finds its few conversations through an index instead of `LIKE '%q%'` over every
 * conversation and contact of the account (about 60 ms at 1M messages). FTS5's trigram tokenizer
 * answers substring phrases of three characters or more; the search still checks each candidate
 * with the same LIKE, so results do not change.
 *
 * Contacts have an integer key, so their index reads the contacts table itself. Conversations are
 * keyed by text ids and SQLite may renumber such a table's rowids on VACUUM, so their searchable
 * text is kept in `conversation_texts`, whose integer key is stable, by triggers.
 *
 * PostgreSQL keeps ILIKE over the rows (its search is measured separately; pg_trgm is an
 * extension a deployment may not have).
 */
export const searchTrigramsMigration: ParleyMigration = {
  name: '0009-search-trigrams',
  async up(db: Kysely<unknown>, dialect) {
    if (dialect === 'postgres') return;
    await sql`create table conversation_texts (
        id integer primary key,
        conversation_id text not null unique,
        title text,
        summary text
      )`.execute(db);
    await sql`insert into conversation_texts (conversation_id, title, summary)
        select id, title, summary from conversations order by rowid`.execute(db);
    await sql`create trigger conversation_texts_insert after insert on conversations begin
        insert into conversation_texts (conversation_id, title, summary) values (new.id, new.title, new.summary);
      end`.execute(db);
    await sql`create trigger conversation_texts_update after update of title, summary on conversations
        when old.title is not new.title or old.summary is not new.summary begin
        update conversation_texts set title = new.title, summary = new.summary where conversation_id = new.id;
      end`.execute(db);
    await sql`create trigger conversation_texts_delete after delete on conversations begin
        delete from conversation_texts where conversation_id = old.id;
      end`.execute(db);

    await trigramIndex(db, 'conversation_texts', 'conversation_texts_fts', ['title', 'summary']);
    await trigramIndex(db, 'contacts', 'contacts_fts', ['name', 'email', 'phone', 'first_name', 'last_name']);
  },
};

/**
 * A trigram FTS5 index over `columns` of `table` (external content, keyed by its integer `id`),
 * filled from the rows there now and kept current by triggers.
 */
async function trigramIndex(db: Kysely<unknown>, table: string, fts: string, columns: string[]) {
  const cols = sql.join(columns.map((c) => sql.id(c)));
  const values = (row: 'old' | 'new') => sql.join([sql.raw(`${row}.id`), ...columns.map((c) => sql.raw(`${row}.${c}`))]);
  const remove = sql`insert into ${sql.id(fts)} (${sql.id(fts)}, rowid, ${cols}) values ('delete', ${values('old')})`;
  const add = sql`insert into ${sql.id(fts)} (rowid, ${cols}) values (${values('new')})`;
  const changed = sql.join(
    columns.map((c) => sql.raw(`old.${c} is not new.${c}`)),
    sql` or `,
  );
  await sql`create virtual table ${sql.id(fts)} using fts5(
      ${cols}, content=${sql.lit(table)}, content_rowid='id', tokenize='trigram'
    )`.execute(db);
  await sql`insert into ${sql.id(fts)} (${sql.id(fts)}) values ('rebuild')`.execute(db);
  await sql`create trigger ${sql.id(`${fts}_insert`)} after insert on ${sql.id(table)} begin ${add}; end`.execute(db);
  await sql`create trigger ${sql.id(`${fts}_delete`)} after delete on ${sql.id(table)} begin ${remove}; end`.execute(db);
  await sql`create trigger ${sql.id(`${fts}_update`)} after update of ${cols} on ${sql.id(table)} when ${changed}
      begin ${remove}; ${add}; end`.execute(db);
}
