import { sql, type Kysely } from 'kysely';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * What a team that works the inbox all day needs (issue 16):
 * - `conversations.snoozed_until`: hidden from "Open" until then, or until the contact writes;
 *   `conversations.resumed_at`: when a person last brought it back (woke or reopened it), so that
 *   idle ending counts its quiet time from then and not from a message of long ago;
 * - `saved_views`: a named filter set, personal (its owner's) or shared with the workspace;
 * - `canned_responses`: replies kept under a shortcut, for the workspace or one member
 *   (`owner_key` is '' for the workspace and the member's id otherwise, so one unique index
 *   covers both scopes on both dialects, whose unique indexes let NULLs repeat);
 * - `notifications`: what each member is told (assigned, handed to their team, a message in
 *   their conversation, a mention), one row per member and event, read or not;
 * - `member_invitations`: single-use, expiring links with which a new member sets their own
 *   password (only a hash of the token is kept).
 */
export const teamInboxMigration: ParleyMigration = {
  name: '0021-team-inbox',
  async up(db: Kysely<unknown>, dialect) {
    const t = columnTypes(dialect);
    await db.schema.alterTable('conversations').addColumn('snoozed_until', t.timestamp).execute();
    await db.schema.alterTable('conversations').addColumn('resumed_at', t.timestamp).execute();
    await db.schema.createIndex('conversations_snoozed_idx').on('conversations').columns(['snoozed_until']).execute();
    // The inbox lists by last activity (the last message, else the creation): a page reads that order.
    await sql`create index conversations_account_activity_idx on conversations (account_id, (coalesce(last_message_at, created_at)), id)`.execute(db);

    await db.schema
      .createTable('saved_views')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('filters', t.json, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('saved_views_account_idx').on('saved_views').columns(['account_id', 'scope']).execute();

    await db.schema
      .createTable('canned_responses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('owner_key', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('shortcut', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('canned_responses_shortcut_unique')
      .on('canned_responses')
      .columns(['account_id', 'owner_key', 'shortcut'])
      .unique()
      .execute();

    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('event_id', t.bigint, (c) => c.notNull())
      .addColumn('actor_name', 'text')
      .addColumn('preview', 'text')
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('read_at', t.timestamp)
      .execute();
    await db.schema
      .createIndex('notifications_event_unique')
      .on('notifications')
      .columns(['member_id', 'event_id', 'kind'])
      .unique()
      .execute();
    await db.schema.createIndex('notifications_member_idx').on('notifications').columns(['member_id', 'created_at']).execute();

    await db.schema
      .createTable('member_invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text')
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .addColumn('accepted_at', t.timestamp)
      .addColumn('member_id', 'text')
      .addColumn('revoked_at', t.timestamp)
      .execute();
    await db.schema.createIndex('member_invitations_account_idx').on('member_invitations').columns(['account_id', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('member_invitations').execute();
    await db.schema.dropTable('notifications').execute();
    await db.schema.dropTable('canned_responses').execute();
    await db.schema.dropTable('saved_views').execute();
    await db.schema.dropIndex('conversations_account_activity_idx').execute();
    await db.schema.dropIndex('conversations_snoozed_idx').execute();
    await db.schema.alterTable('conversations').dropColumn('resumed_at').execute();
    await db.schema.alterTable('conversations').dropColumn('snoozed_until').execute();
  },
};
