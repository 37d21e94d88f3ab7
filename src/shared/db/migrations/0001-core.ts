import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type ParleyMigration } from './helpers.js';

/** Accounts, members, agents, API keys, contacts, conversations and messages. */
export const coreMigration: ParleyMigration = {
  name: '0001-core',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    const serialPk = (name: string) =>
      dialect === 'postgres'
        ? sql`${sql.ref(name)} bigserial primary key`
        : sql`${sql.ref(name)} integer primary key autoincrement`;

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
      .addColumn('idle_end_minutes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('members')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addUniqueConstraint('members_account_email_unique', ['account_id', 'email'])
      .execute();

    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('instructions', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('model_settings', t.json, (c) => c.notNull())
      .addColumn('keywords', t.json, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agents_account_idx').on('agents').columns(['account_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
      // The lookup prefix is the entry point of authentication, before any account is known.
      .addColumn('prefix', 'text', (c) => c.notNull().unique())
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('last_used_at', t.timestamp)
      .addColumn('revoked_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('api_keys_agent_idx').on('api_keys').columns(['account_id', 'agent_id']).execute();

    await sql`create table contacts (
      ${serialPk('id')},
      account_id text not null references accounts(id) on delete cascade,
      email text,
      name text,
      first_name text,
      last_name text,
      phone text,
      avatar_url text,
      organization_name text,
      external_id text,
      metadata ${sql.raw(String(t.json))} not null,
      created_at ${sql.raw(String(t.timestamp))} not null,
      updated_at ${sql.raw(String(t.timestamp))} not null,
      constraint contacts_account_email_unique unique (account_id, email)
    )`.execute(db);
    await db.schema.createIndex('contacts_account_idx').on('contacts').columns(['account_id', 'id']).execute();

    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
      .addColumn('contact_id', t.bigint, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('channel_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('end_reason', 'text')
      .addColumn('mode', 'text', (c) => c.notNull().defaultTo('ai'))
      .addColumn('assignee_id', 'text')
      .addColumn('state_id', 'text')
      .addColumn('title', 'text')
      .addColumn('context', 'text')
      .addColumn('summary', 'text')
      .addColumn('score', 'integer')
      .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
      .addColumn('metadata', t.json, (c) => c.notNull())
      .addColumn('turn_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_message_at', t.timestamp)
      .addColumn('ended_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('conversations_account_created_idx')
      .on('conversations')
      .columns(['account_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('conversations_account_contact_idx')
      .on('conversations')
      .columns(['account_id', 'contact_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('conversations_account_status_idx')
      .on('conversations')
      .columns(['account_id', 'status', 'created_at', 'id'])
      .execute();

    await sql`create table messages (
      ${serialPk('id')},
      account_id text not null references accounts(id) on delete cascade,
      conversation_id text not null references conversations(id) on delete cascade,
      role text not null,
      content text not null,
      sources ${sql.raw(String(t.json))} not null,
      status text not null,
      error text,
      modality text not null default 'text',
      author_id text,
      created_at ${sql.raw(String(t.timestamp))} not null,
      updated_at ${sql.raw(String(t.timestamp))} not null
    )`.execute(db);
    await db.schema
      .createIndex('messages_conversation_idx')
      .on('messages')
      .columns(['account_id', 'conversation_id', 'id'])
      .execute();
  },
};
