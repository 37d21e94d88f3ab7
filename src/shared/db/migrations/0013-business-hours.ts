import type { Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * A workspace's business hours and the reply time it promises (issue 14), read by the settings,
 * the inbox and the chat widget to say whether the team is online and when it is back.
 * `business_hours` is the normalised JSON (business-hours.ts) as text on both dialects, so what is
 * stored is byte for byte what was written and a settings change can be compared as a string
 * (jsonb would reorder its keys); null means not configured, that is always open.
 */
export const businessHoursMigration: ParleyMigration = {
  name: '0013-business-hours',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('accounts').addColumn('business_hours', 'text').execute();
    await db.schema.alterTable('accounts').addColumn('reply_time', 'text', (c) => c.notNull().defaultTo('hours')).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('accounts').dropColumn('reply_time').execute();
    await db.schema.alterTable('accounts').dropColumn('business_hours').execute();
  },
};
