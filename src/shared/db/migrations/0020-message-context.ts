import type { Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * Seed 003's per-message `context` (issue 15): what the business's backend knows for this one
 * message (an order, a page), passed to the AI for its reply, shown to members, never to the
 * contact.
 */
export const messageContextMigration: ParleyMigration = {
  name: '0020-message-context',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('context', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').dropColumn('context').execute();
  },
};
