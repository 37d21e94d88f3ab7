import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * An index leading with the columns of every foreign key. Deleting a row makes the database look
 * for the rows that refer to it (to cascade, or to refuse) by the referring columns alone — on
 * SQLite in the delete itself, on PostgreSQL in its RI trigger — and the existing indexes start
 * with `account_id`, which that lookup cannot use. So every erased or pruned conversation read all
 * of `messages` and `conversation_tags`, every erased contact all of `conversations`: about 7 ms
 * per conversation with 20,000 messages on the server, growing with every message of every
 * workspace. foreign-keys.test.ts keeps it so for foreign keys added later.
 */
const INDEXES: Array<[table: string, column: string]> = [
  ['messages', 'conversation_id'],
  ['conversation_tags', 'conversation_id'],
  ['conversations', 'contact_id'],
  ['conversations', 'agent_id'],
  ['visitor_sessions', 'contact_id'],
  ['visitor_sessions', 'channel_id'],
  ['api_keys', 'agent_id'],
  ['knowledge_documents', 'agent_id'],
  ['sessions', 'member_id'],
  ['saved_views', 'member_id'],
  ['webhook_deliveries', 'endpoint_id'],
  ['automation_runs', 'automation_id'],
  ['team_members', 'account_id'],
  ['notifications', 'account_id'],
  ['email_mailboxes', 'account_id'],
];

const nameOf = (table: string, column: string) => `${table}_${column}_fk_idx`;

export const foreignKeyIndexesMigration: ParleyMigration = {
  name: '0027-foreign-key-indexes',
  async up(db: Kysely<unknown>) {
    for (const [table, column] of INDEXES) {
      await sql`create index ${sql.id(nameOf(table, column))} on ${sql.id(table)} (${sql.id(column)})`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    for (const [table, column] of INDEXES) await sql`drop index ${sql.id(nameOf(table, column))}`.execute(db);
  },
};
