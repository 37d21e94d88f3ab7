import { sql, type Kysely } from 'kysely';
import type { ParleyMigration } from './helpers.js';

/**
 * Who wrote each message (issue 15), stored with it: `author_type` (contact, agent, member,
 * api_key, system), `author_ref` (that contact's, agent's, member's or key's id, as text) and
 * `author_name` as it was when the message was written, so that a message list needs no lookups
 * and a reply keeps the name it was signed with. Earlier messages are attributed from what is
 * known: a user message to the conversation's contact, a reply to its agent, an operator message or
 * note with a member to that member, one without to an API key whose name was not kept.
 */
export const messageAuthorsMigration: ParleyMigration = {
  name: '0016-message-authors',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('author_type', 'text').execute();
    await db.schema.alterTable('messages').addColumn('author_ref', 'text').execute();
    await db.schema.alterTable('messages').addColumn('author_name', 'text').execute();
    await sql`
      update messages set author_type = 'contact',
        author_ref = (select cast(c.contact_id as text) from conversations c where c.id = messages.conversation_id),
        author_name = (select ct.name from conversations c join contacts ct on ct.id = c.contact_id where c.id = messages.conversation_id)
      where role = 'user'`.execute(db);
    await sql`
      update messages set author_type = 'agent',
        author_ref = (select c.agent_id from conversations c where c.id = messages.conversation_id),
        author_name = (select a.name from conversations c join agents a on a.id = c.agent_id where c.id = messages.conversation_id)
      where role = 'assistant'`.execute(db);
    await sql`
      update messages set author_type = 'member', author_ref = author_id,
        author_name = (select m.name from members m where m.id = messages.author_id)
      where role in ('operator', 'note') and author_id is not null`.execute(db);
    await sql`update messages set author_type = 'api_key' where role in ('operator', 'note') and author_id is null`.execute(db);
    await sql`update messages set author_type = 'system' where role = 'system'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').dropColumn('author_name').execute();
    await db.schema.alterTable('messages').dropColumn('author_ref').execute();
    await db.schema.alterTable('messages').dropColumn('author_type').execute();
  },
};
