import type { Kysely } from 'kysely';
import { columnTypes, type ParleyMigration } from './helpers.js';

const COLUMNS = [
  'handoff_at',
  'handoff_source',
  'handoff_reason',
  'waiting_since',
  'csat_rating',
  'csat_comment',
  'csat_at',
  'contact_read_message_id',
  'team_read_message_id',
  'visitor',
] as const;

/**
 * What a conversation with a person needs to say (issue 14): when and why it was handed to the
 * team (`handoff_*`), since when the contact has been waiting for a person's answer
 * (`waiting_since`, set by the contact's message or the handoff, cleared by a reply), the
 * contact's rating once it ended (`csat_*`), how far each side has read (message ids), and what
 * the widget knew of the visitor (`visitor`: page, language, browser, attributes as JSON text).
 */
export const conversationHandoffMigration: ParleyMigration = {
  name: '0015-conversation-handoff',
  async up(db: Kysely<unknown>, dialect) {
    const t = columnTypes(dialect);
    await db.schema.alterTable('conversations').addColumn('handoff_at', t.timestamp).execute();
    await db.schema.alterTable('conversations').addColumn('handoff_source', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('handoff_reason', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('waiting_since', t.timestamp).execute();
    await db.schema.alterTable('conversations').addColumn('csat_rating', 'integer').execute();
    await db.schema.alterTable('conversations').addColumn('csat_comment', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('csat_at', t.timestamp).execute();
    await db.schema.alterTable('conversations').addColumn('contact_read_message_id', t.bigint).execute();
    await db.schema.alterTable('conversations').addColumn('team_read_message_id', t.bigint).execute();
    await db.schema.alterTable('conversations').addColumn('visitor', 'text').execute();
    // The inbox's "waiting for a person" list and the per-day CSAT of analytics.
    await db.schema.createIndex('conversations_waiting_idx').on('conversations').columns(['account_id', 'waiting_since']).execute();
    await db.schema.createIndex('conversations_csat_idx').on('conversations').columns(['account_id', 'csat_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('conversations_csat_idx').execute();
    await db.schema.dropIndex('conversations_waiting_idx').execute();
    for (const column of [...COLUMNS].reverse()) await db.schema.alterTable('conversations').dropColumn(column).execute();
  },
};
