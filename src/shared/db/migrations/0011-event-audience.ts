import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * Who may read an event (`audience`, see events/audience.ts): null for everyone who reads the
 * account's log; `members` for an internal note's events, which API keys and webhooks must not
 * see (as the messages API already hid them); `managers` for webhook events, which carry an
 * endpoint's URL that only admins and API keys may read. Events already stored are classified the
 * same way.
 */
export const eventAudienceMigration: ParleyMigration = {
  name: '0011-event-audience',
  async up(db: Kysely<unknown>, dialect) {
    await sql`alter table events add column audience text`.execute(db);
    const role =
      dialect === 'postgres' ? sql`(data::jsonb -> 'message' ->> 'role')` : sql`json_extract(data, '$.message.role')`;
    await sql`update events set audience = 'members' where type in ('message.created', 'message.feedback') and ${role} = 'note'`.execute(db);
    await sql`update events set audience = 'managers' where type like 'webhook.%'`.execute(db);
  },
};
