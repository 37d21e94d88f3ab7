import type { Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * Whether an operator's reply to a conversation the AI is answering takes it over (issue 15):
 * on (1) by default, so that no AI reply ever follows a person's; a workspace where operators
 * only chip in beside the AI turns it off.
 */
export const operatorTakeoverMigration: ParleyMigration = {
  name: '0017-operator-takeover',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('accounts').addColumn('operator_reply_takes_over', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('accounts').dropColumn('operator_reply_takes_over').execute();
  },
};
