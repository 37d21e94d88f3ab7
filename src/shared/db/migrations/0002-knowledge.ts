import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * Knowledge documents, their chunks and the full-text index over the chunks.
 *
 * Documents are keyed by (account_id, id) and chunks point at that pair, so a chunk can never
 * belong to a document of another account and both tables stay distributable by tenant.
 */
export const knowledgeMigration: ParleyMigration = {
  name: '0002-knowledge',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    const ts = sql.raw(String(t.timestamp));

    await sql`create table knowledge_documents (
      id text not null,
      account_id text not null references accounts(id) on delete cascade,
      agent_id text not null references agents(id) on delete cascade,
      title text not null,
      body text not null,
      url text,
      chunk_count integer not null default 0,
      created_at ${ts} not null,
      updated_at ${ts} not null,
      primary key (account_id, id)
    )`.execute(db);
    await sql`create index knowledge_documents_agent_idx
      on knowledge_documents (account_id, agent_id, created_at, id)`.execute(db);

    // SQLite's FTS5 needs an integer rowid, so the chunk id is the rowid there; on PostgreSQL the
    // key leads with account_id like every other key of this schema.
    const chunkKey =
      dialect === 'postgres'
        ? sql`id bigserial not null, primary key (account_id, id),`
        : sql`id integer primary key autoincrement,`;
    await sql`create table knowledge_chunks (
      ${chunkKey}
      account_id text not null,
      agent_id text not null,
      document_id text not null,
      position integer not null,
      title text not null,
      content text not null,
      constraint knowledge_chunks_document_fk foreign key (account_id, document_id)
        references knowledge_documents (account_id, id) on delete cascade,
      constraint knowledge_chunks_position_unique unique (account_id, document_id, position)
    )`.execute(db);
    await sql`create index knowledge_chunks_agent_idx on knowledge_chunks (account_id, agent_id)`.execute(db);

    if (dialect === 'postgres') await fullTextPostgres(db);
    else await fullTextSqlite(db);
  },
};

/**
 * A stored, generated tsvector (title weighted A, content B) and a GIN index over it. The GIN
 * index cannot also hold account_id without the btree_gin extension, which managed servers may
 * not allow; searches filter on (account_id, agent_id) and the planner combines both indexes.
 */
async function fullTextPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`alter table knowledge_chunks add column tsv tsvector generated always as (
      setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', content), 'B')
    ) stored`.execute(db);
  await sql`create index knowledge_chunks_tsv_idx on knowledge_chunks using gin (tsv)`.execute(db);
}

/**
 * An FTS5 external-content table over knowledge_chunks (the text is stored once), kept in step by
 * triggers. Deleting a document cascades to its chunks, and cascaded deletes fire the delete trigger.
 */
async function fullTextSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table knowledge_chunks_fts using fts5(
      title, content,
      content='knowledge_chunks', content_rowid='id',
      tokenize='porter unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`create trigger knowledge_chunks_fts_insert after insert on knowledge_chunks begin
      insert into knowledge_chunks_fts (rowid, title, content) values (new.id, new.title, new.content);
    end`.execute(db);
  await sql`create trigger knowledge_chunks_fts_delete after delete on knowledge_chunks begin
      insert into knowledge_chunks_fts (knowledge_chunks_fts, rowid, title, content)
        values ('delete', old.id, old.title, old.content);
    end`.execute(db);
  await sql`create trigger knowledge_chunks_fts_update after update on knowledge_chunks begin
      insert into knowledge_chunks_fts (knowledge_chunks_fts, rowid, title, content)
        values ('delete', old.id, old.title, old.content);
      insert into knowledge_chunks_fts (rowid, title, content) values (new.id, new.title, new.content);
    end`.execute(db);
}
