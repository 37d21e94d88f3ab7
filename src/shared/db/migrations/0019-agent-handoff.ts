import type { Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * After how many questions in a row it could not answer an agent hands the conversation to a
 * person (issue 15): 2 by default, 0 for never.
 */
export const agentHandoffMigration: ParleyMigration = {
  name: '0019-agent-handoff',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('agents').addColumn('handoff_after_declines', 'integer', (c) => c.notNull().defaultTo(2)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('agents').dropColumn('handoff_after_declines').execute();
  },
};
