import type { Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * A `web_widget` channel's public key (looked up by a widget's first request, so indexed on its
 * own; unique within the account like every key here) and its identity secret (kept in clear: it
 * signs visitors' user ids, as a webhook secret signs deliveries).
 */
export const widgetMigration: ParleyMigration = {
  name: '0012-widget',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('channels').addColumn('public_key', 'text').execute();
    await db.schema.alterTable('channels').addColumn('identity_secret', 'text').execute();
    await db.schema.createIndex('channels_public_key_idx').on('channels').column('public_key').execute();
    await db.schema
      .createIndex('channels_account_public_key_unique')
      .on('channels')
      .columns(['account_id', 'public_key'])
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('channels_account_public_key_unique').execute();
    await db.schema.dropIndex('channels_public_key_idx').execute();
    await db.schema.alterTable('channels').dropColumn('identity_secret').execute();
    await db.schema.alterTable('channels').dropColumn('public_key').execute();
  },
};
