import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { ParleyMigration } from './helpers.js';

/**
 * Indexes for analytics (issue: analytics): messages and ended conversations by time within an
 * account, and the conversation of each mode change, so "was this conversation ever handed to a
 * human?" is an index lookup instead of a scan of the account's events. The expression is
 * written exactly as analytics.repository.ts writes it, which is what lets the planner use it.
 */
export const analyticsMigration: ParleyMigration = {
  name: '0007-analytics',
  async up(db: Kysely<unknown>, dialect: DialectName) {
    await sql`create index messages_account_created_idx on messages (account_id, created_at)`.execute(db);
    await sql`create index conversations_account_ended_idx on conversations (account_id, ended_at)`.execute(db);
    const conversationId =
      dialect === 'postgres' ? sql`(data -> 'conversation' ->> 'id')` : sql`json_extract(data, '$.conversation.id')`;
    await sql`create index events_mode_changed_conversation_idx on events (account_id, ${conversationId})
      where type = 'conversation.mode_changed'`.execute(db);
  },
};
