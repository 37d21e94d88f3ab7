import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { ParleyMigration } from './helpers.js';

/** The SQLite full-text indexes that hold text of contacts, conversations and messages (and knowledge). */
const FTS_TABLES = ['messages_fts', 'conversation_texts_fts', 'contacts_fts', 'knowledge_chunks_fts'];

/**
 * Erasure (issue 18): an erased contact or conversation leaves no copy behind.
 * - The events of a conversation or a contact are found through indexes on the ids inside their
 *   data, so an erasure redacts them without reading the whole log. The expressions are the ones
 *   erasure.repository.ts writes (the planner uses an expression index only for the same text).
 * - `analytics_erased` keeps what analytics counted of erased conversations, as counts per
 *   15-minute bucket, agent, figure and key (a message's role, a rating…), and nothing else, so a
 *   workspace's figures for past days stay what they were.
 * - SQLite's FTS5 indexes keep a deleted row's tokens in their segments until those are merged;
 *   with `secure-delete` (SQLite 3.44+) a delete removes them at once. (The connection's own
 *   `PRAGMA secure_delete` is set in database.ts: it is not stored in the file.)
 */
export const erasureMigration: ParleyMigration = {
  name: '0026-erasure',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const e = eventIdExpressions(dialect);
    await sql`create index events_conversation_ref_idx on events (account_id, ${e.conversation})`.execute(db);
    await sql`create index events_contact_ref_idx on events (account_id, ${e.contact})
      where type in ('contact.created', 'contact.updated', 'contact.deleted')`.execute(db);
    await sql`create table analytics_erased (
      account_id text not null references accounts(id) on delete cascade,
      agent_id text not null,
      bucket ${sql.raw(dialect === 'postgres' ? 'bigint' : 'integer')} not null,
      figure text not null,
      key text not null default '',
      n ${sql.raw(dialect === 'postgres' ? 'double precision' : 'real')} not null,
      primary key (account_id, bucket, agent_id, figure, key)
    )`.execute(db);
    if (dialect === 'sqlite') {
      for (const fts of FTS_TABLES) {
        await sql`insert into ${sql.id(fts)} (${sql.id(fts)}, rank) values ('secure-delete', 1)`.execute(db);
      }
    }
  },
  async down(db: Kysely<unknown>, dialect: DialectName) {
    await sql`drop table analytics_erased`.execute(db);
    await sql`drop index events_conversation_ref_idx`.execute(db);
    await sql`drop index events_contact_ref_idx`.execute(db);
    if (dialect === 'sqlite') {
      for (const fts of FTS_TABLES) {
        await sql`insert into ${sql.id(fts)} (${sql.id(fts)}, rank) values ('secure-delete', 0)`.execute(db);
      }
    }
  },
};

/**
 * The conversation an event is about (conversation events carry `conversation`, message.feedback
 * only `message`, conversation.read and redacted events a bare `conversation_id`), and the contact
 * of a contact.* event.
 */
export function eventIdExpressions(dialect: DialectName) {
  return dialect === 'postgres'
    ? {
        conversation: sql`(coalesce(data -> 'conversation' ->> 'id', data -> 'message' ->> 'conversation_id', data ->> 'conversation_id'))`,
        contact: sql`(data -> 'contact' ->> 'id')`,
      }
    : {
        conversation: sql`coalesce(json_extract(data, '$.conversation.id'), json_extract(data, '$.message.conversation_id'), json_extract(data, '$.conversation_id'))`,
        contact: sql`json_extract(data, '$.contact.id')`,
      };
}
