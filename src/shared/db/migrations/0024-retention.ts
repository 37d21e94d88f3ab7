import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * How long a workspace keeps its data (issue 18):
 * - `accounts.retention_*_days`: ended conversations, events, webhook deliveries, automation runs
 *   and audit log entries older than this many days are deleted by the retention task; null keeps
 *   them forever. The audit log is kept a year unless the workspace says otherwise.
 * - `task_schedules`: when a task shared by every process (retention) runs next, and the lease of
 *   the process running it, so that with several processes on one database it runs once.
 * - indexes for deleting by age, a workspace at a time, in small batches.
 */
export const retentionMigration: ParleyMigration = {
  name: '0024-retention',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    for (const column of RETENTION_COLUMNS) {
      await db.schema
        .alterTable('accounts')
        .addColumn(column, 'integer', (c) => (column === 'retention_audit_log_days' ? c.defaultTo(365) : c))
        .execute();
    }
    await db.schema
      .createTable('task_schedules')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('next_run_at', t.timestamp, (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', t.timestamp)
      .execute();
    await db.schema.createIndex('webhook_deliveries_account_created_idx').on('webhook_deliveries').columns(['account_id', 'created_at']).execute();
    await db.schema.createIndex('automation_runs_account_created_idx').on('automation_runs').columns(['account_id', 'created_at']).execute();
    await db.schema.createIndex('sessions_account_expires_idx').on('sessions').columns(['account_id', 'expires_at']).execute();
    await db.schema.createIndex('visitor_sessions_account_expires_idx').on('visitor_sessions').columns(['account_id', 'expires_at']).execute();
    await db.schema.createIndex('member_invitations_account_expires_idx').on('member_invitations').columns(['account_id', 'expires_at']).execute();
    await db.schema.createIndex('idempotency_keys_account_created_idx').on('idempotency_keys').columns(['account_id', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const index of [
      'webhook_deliveries_account_created_idx',
      'automation_runs_account_created_idx',
      'sessions_account_expires_idx',
      'visitor_sessions_account_expires_idx',
      'member_invitations_account_expires_idx',
      'idempotency_keys_account_created_idx',
    ]) {
      await db.schema.dropIndex(index).execute();
    }
    await db.schema.dropTable('task_schedules').execute();
    for (const column of [...RETENTION_COLUMNS].reverse()) await db.schema.alterTable('accounts').dropColumn(column).execute();
  },
};

const RETENTION_COLUMNS = [
  'retention_ended_conversations_days',
  'retention_events_days',
  'retention_webhook_deliveries_days',
  'retention_automation_runs_days',
  'retention_audit_log_days',
] as const;
