import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * The operators' side (issue 3): sessions, channels, conversation states and tags, feedback on
 * messages, the unread counter, and a full-text index over message content for inbox search.
 */
export const operatorsMigration: ParleyMigration = {
  name: '0003-operators',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    const ts = sql.raw(String(t.timestamp));
    const json = sql.raw(String(t.json));

    await sql`create table sessions (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      member_id text not null references members(id) on delete cascade,
      token_hash text not null unique,
      csrf_token text not null,
      ip text,
      user_agent text,
      expires_at ${ts} not null,
      last_seen_at ${ts} not null,
      revoked_at ${ts},
      created_at ${ts} not null
    )`.execute(db);
    await sql`create index sessions_member_idx on sessions (account_id, member_id)`.execute(db);

    await sql`create table channels (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      name text not null,
      type text not null,
      config ${json} not null,
      active integer not null default 1,
      created_at ${ts} not null,
      updated_at ${ts} not null
    )`.execute(db);
    await sql`create index channels_account_idx on channels (account_id, created_at, id)`.execute(db);

    await sql`create table conversation_states (
      id text primary key,
      account_id text not null references accounts(id) on delete cascade,
      name text not null,
      description text not null default '',
      color text not null,
      persistent integer not null default 0,
      created_at ${ts} not null,
      updated_at ${ts} not null,
      constraint conversation_states_name_unique unique (account_id, name)
    )`.execute(db);

    await sql`create table conversation_tags (
      account_id text not null references accounts(id) on delete cascade,
      conversation_id text not null references conversations(id) on delete cascade,
      tag text not null,
      created_at ${ts} not null,
      primary key (account_id, conversation_id, tag)
    )`.execute(db);
    await sql`create index conversation_tags_tag_idx on conversation_tags (account_id, tag)`.execute(db);

    await sql`alter table conversations add column unread_count integer not null default 0`.execute(db);
    await sql`create index conversations_account_updated_idx on conversations (account_id, updated_at, id)`.execute(db);
    await sql`create index conversations_account_agent_idx on conversations (account_id, agent_id, created_at, id)`.execute(db);
    await sql`create index conversations_account_assignee_idx on conversations (account_id, assignee_id, created_at, id)`.execute(db);

    await sql`alter table messages add column feedback_rating text`.execute(db);
    await sql`alter table messages add column feedback_comment text`.execute(db);
    await sql`alter table messages add column feedback_at ${ts}`.execute(db);
    await sql`create index messages_feedback_idx on messages (account_id, conversation_id) where feedback_rating is not null`.execute(db);

    if (dialect === 'postgres') {
      await sql`alter table messages add column tsv tsvector generated always as (to_tsvector('english', content)) stored`.execute(db);
      await sql`create index messages_tsv_idx on messages using gin (tsv)`.execute(db);
    } else {
      await sql`create virtual table messages_fts using fts5(
          content, content='messages', content_rowid='id',
          tokenize='porter unicode61 remove_diacritics 2'
        )`.execute(db);
      await sql`create trigger messages_fts_insert after insert on messages begin
          insert into messages_fts (rowid, content) values (new.id, new.content);
        end`.execute(db);
      await sql`create trigger messages_fts_delete after delete on messages begin
          insert into messages_fts (messages_fts, rowid, content) values ('delete', old.id, old.content);
        end`.execute(db);
      await sql`create trigger messages_fts_update after update of content on messages begin
          insert into messages_fts (messages_fts, rowid, content) values ('delete', old.id, old.content);
          insert into messages_fts (rowid, content) values (new.id, new.content);
        end`.execute(db);
    }
  },
};
