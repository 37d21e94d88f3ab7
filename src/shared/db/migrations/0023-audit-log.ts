import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * The audit log (issue 18): who changed what in a workspace, from which address, and every
 * sign-in, failed ones too. Append-only through the API; pruned by the workspace's retention and
 * its `details` redacted (the entry kept) when the person it is about is erased.
 * - `account_id` is null only for a failed sign-in with an email no member has;
 * - `actor_type`: 'member' | 'api_key' | 'system' | 'anonymous'; `actor_name` is the member's email
 *   or the key's prefix at the time, so the entry still reads after the member or key is gone;
 * - `action` is dotted ('member.created', 'auth.sign_in_failed', 'settings.updated', …);
 * - `details` is JSON, never a secret; for settings {before, after}.
 */
export const auditLogMigration: ParleyMigration = {
  name: '0023-audit-log',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);
    const ts = sql.raw(String(t.timestamp));
    const json = sql.raw(String(t.json));
    const serial = dialect === 'postgres' ? sql`id bigserial primary key` : sql`id integer primary key autoincrement`;
    await sql`create table audit_log (
      ${serial},
      account_id text references accounts(id) on delete cascade,
      actor_type text not null,
      actor_id text,
      actor_name text,
      action text not null,
      target_type text,
      target_id text,
      details ${json} not null default '{}',
      ip text,
      created_at ${ts} not null
    )`.execute(db);
    // The list reads a workspace's entries newest first (by id), filtered by action or actor;
    // retention deletes by age.
    await sql`create index audit_log_account_idx on audit_log (account_id, id)`.execute(db);
    await sql`create index audit_log_account_action_idx on audit_log (account_id, action, id)`.execute(db);
    await sql`create index audit_log_account_actor_idx on audit_log (account_id, actor_id, id)`.execute(db);
    await sql`create index audit_log_created_idx on audit_log (created_at)`.execute(db);
    await sql`create index audit_log_target_idx on audit_log (account_id, target_type, target_id)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('audit_log').execute();
  },
};
