import type { Kysely } from 'kysely';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * A widget visitor's session: its token, stored hashed, tied to a contact and a web_widget
 * channel, ended by the site's shutdown or after a year unused. `verified` says the site proved
 * the visitor's user id (identity verification); a visitor is otherwise an anonymous guest.
 * The contact gains `claimed_email`: an email a visitor typed, which is a claim and never an
 * identity, so it is kept apart from the unique `email` that only the business sets.
 */
export const visitorSessionsMigration: ParleyMigration = {
  name: '0014-visitor-sessions',
  async up(db: Kysely<unknown>, dialect) {
    const t = columnTypes(dialect);
    await db.schema
      .createTable('visitor_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('contact_id', t.bigint, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .addColumn('revoked_at', t.timestamp)
      .addUniqueConstraint('visitor_sessions_account_token_unique', ['account_id', 'token_hash'])
      .execute();
    await db.schema.createIndex('visitor_sessions_token_idx').on('visitor_sessions').column('token_hash').execute();
    await db.schema.createIndex('visitor_sessions_contact_idx').on('visitor_sessions').columns(['account_id', 'contact_id']).execute();
    await db.schema.alterTable('contacts').addColumn('claimed_email', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('contacts').dropColumn('claimed_email').execute();
    await db.schema.dropTable('visitor_sessions').execute();
  },
};
