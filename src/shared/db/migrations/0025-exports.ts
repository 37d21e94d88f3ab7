import type { Kysely } from 'kysely';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * Bulk exports (issue 18): one row per export a member or an API key asked for, written to a file
 * by a worker.
 * - `resource` / `format` / `filters`: what was asked for (conversations, contacts or messages; as
 *   NDJSON or CSV; filters {since, until, agent_id, channel_id, status, tag} as JSON text);
 * - `status`: pending → running → done (or failed); done → expired once `expires_at` has passed
 *   and the file is deleted. `pending` and `running` rows are the queue;
 * - the lease, as the outboxes have it (`attempts`, `next_attempt_at`, `locked_until`): a worker
 *   claims a due row, and a row left `running` by a worker that died is claimed again once its
 *   lease runs out;
 * - the progress: `cursor` (the keyset position after the last row written, JSON text),
 *   `row_count` and `bytes_written` are saved together after every page, so a resumed export
 *   truncates its partial file to `bytes_written` and goes on from `cursor`, never writing a
 *   row twice;
 * - `file_key`: the finished file's name under PARLEY_DATA_DIR/exports; `download_token`:
 *   the random token its download URL carries (valid until `expires_at`). It is kept as it is,
 *   not hashed, so the URL can be shown again: whoever can read this table can read the rows
 *   exported anyway.
 */
export const exportsMigration: ParleyMigration = {
  name: '0025-exports',
  async up(db: Kysely<unknown>, dialect) {
    const t = columnTypes(dialect);
    await db.schema
      .createTable('exports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('requested_by_type', 'text', (c) => c.notNull())
      .addColumn('requested_by_id', 'text')
      .addColumn('resource', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('filters', t.json, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('row_count', t.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('bytes_written', t.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('cursor', 'text')
      .addColumn('file_key', 'text')
      .addColumn('download_token', 'text')
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', t.timestamp)
      .addColumn('locked_until', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('started_at', t.timestamp)
      .addColumn('completed_at', t.timestamp)
      .addColumn('expires_at', t.timestamp)
      .execute();
    await db.schema.createIndex('exports_account_idx').on('exports').columns(['account_id', 'id']).execute();
    await db.schema.createIndex('exports_due_idx').on('exports').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('exports_expiry_idx').on('exports').columns(['status', 'expires_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('exports').execute();
  },
};
