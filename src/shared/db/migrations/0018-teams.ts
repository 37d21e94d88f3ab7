import type { Kysely } from 'kysely';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * Teams and assignment (issue 15). A team has members, and may hand its conversations out by
 * itself (`auto_assign`) to its online members under `max_open_per_member` (0: no limit).
 * A conversation gains `team_id` and, while it waits in the team's queue, `team_queued_at` (the
 * queue is served oldest first). Members gain their availability (`online`, `away`, `offline`,
 * with when it was last said: an inbox that stops saying so stops counting as online) and when
 * they were last given a conversation (ties go to whoever waited longest). Channels and agents may
 * name the team their handed-off conversations go to.
 */
export const teamsMigration: ParleyMigration = {
  name: '0018-teams',
  async up(db: Kysely<unknown>, dialect) {
    const t = columnTypes(dialect);
    await db.schema
      .createTable('teams')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('auto_assign', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_open_per_member', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addUniqueConstraint('teams_account_name_unique', ['account_id', 'name'])
      .execute();
    await db.schema
      .createTable('team_members')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'member_id'])
      .execute();
    await db.schema.createIndex('team_members_member_idx').on('team_members').column('member_id').execute();
    await db.schema.alterTable('conversations').addColumn('team_id', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('team_queued_at', t.timestamp).execute();
    await db.schema.createIndex('conversations_team_queue_idx').on('conversations').columns(['account_id', 'team_id', 'team_queued_at']).execute();
    await db.schema.createIndex('conversations_assignee_status_idx').on('conversations').columns(['account_id', 'assignee_id', 'status']).execute();
    await db.schema.alterTable('members').addColumn('availability', 'text', (c) => c.notNull().defaultTo('offline')).execute();
    await db.schema.alterTable('members').addColumn('availability_at', t.timestamp).execute();
    await db.schema.alterTable('members').addColumn('last_assigned_at', t.timestamp).execute();
    await db.schema.alterTable('channels').addColumn('default_team_id', 'text').execute();
    await db.schema.alterTable('agents').addColumn('default_team_id', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('agents').dropColumn('default_team_id').execute();
    await db.schema.alterTable('channels').dropColumn('default_team_id').execute();
    await db.schema.alterTable('members').dropColumn('last_assigned_at').execute();
    await db.schema.alterTable('members').dropColumn('availability_at').execute();
    await db.schema.alterTable('members').dropColumn('availability').execute();
    await db.schema.dropIndex('conversations_assignee_status_idx').execute();
    await db.schema.dropIndex('conversations_team_queue_idx').execute();
    await db.schema.alterTable('conversations').dropColumn('team_queued_at').execute();
    await db.schema.alterTable('conversations').dropColumn('team_id').execute();
    await db.schema.dropTable('team_members').execute();
    await db.schema.dropTable('teams').execute();
  },
};
