import { sql, type Kysely } from 'kysely';
import { columnTypes, type ParleyMigration } from './helpers.js';

/**
 * Real channels, email first, and files on messages (issue 17):
 * - `messages.attachments`: the files a message carries, as presented ([{id, filename,
 *   content_type, size}]), written with the message (attachments never change once sent);
 *   `messages.delivery`: what became of a message sent through a channel ({status, error,
 *   attempts, sent_at}), written with its `channel_deliveries` row in one transaction;
 * - `channels.inbound_token_hash`: the hash of the token that forwarded mail is posted with;
 *   `channels.status_*`: whether the channel last worked (connected or failing), with the last
 *   error and when, for admins;
 * - `attachments`: uploaded and received files (the bytes live in the attachment store, on disk
 *   or in an S3-compatible bucket, under `storage_key`); `message_id` is null until a message
 *   carries the upload;
 * - `channel_deliveries`: the outbound outbox, one row per message sent through a channel, queued
 *   in the message's own transaction and claimed by a worker (SKIP LOCKED on PostgreSQL);
 * - `email_threads`: a conversation's email thread: its channel, the `+token` of its reply-to
 *   address, its subject and the contact's address;
 * - `email_messages`: every mail received or sent in a channel, by Message-ID (unique per
 *   channel, so the same mail is never imported twice), with its headers and original text;
 * - `email_mailboxes`: how far a channel's IMAP mailbox has been imported (UIDVALIDITY and the
 *   last UID), and the lease of the process that polls it.
 * A conversation's deliveries, thread and mails go with it (a cascade), so deleting a contact or
 * its conversations leaves no copy of its mail behind.
 */
export const channelsEmailMigration: ParleyMigration = {
  name: '0022-channels-email',
  async up(db: Kysely<unknown>, dialect) {
    const t = columnTypes(dialect);
    await db.schema.alterTable('messages').addColumn('attachments', t.json, (c) => c.notNull().defaultTo(sql`'[]'`)).execute();
    await db.schema.alterTable('messages').addColumn('delivery', t.json).execute();

    await db.schema.alterTable('channels').addColumn('inbound_token_hash', 'text').execute();
    await db.schema.alterTable('channels').addColumn('status_state', 'text').execute();
    await db.schema.alterTable('channels').addColumn('status_error', 'text').execute();
    await db.schema.alterTable('channels').addColumn('status_error_at', t.timestamp).execute();
    await db.schema.alterTable('channels').addColumn('status_checked_at', t.timestamp).execute();
    await db.schema.createIndex('channels_inbound_token_unique').on('channels').columns(['inbound_token_hash']).unique().execute();

    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('message_id', t.bigint)
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', t.bigint, (c) => c.notNull())
      .addColumn('storage_key', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text')
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('attachments_conversation_idx').on('attachments').columns(['account_id', 'conversation_id']).execute();
    await db.schema.createIndex('attachments_unattached_idx').on('attachments').columns(['message_id', 'created_at']).execute();

    await db.schema
      .createTable('channel_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('message_id', t.bigint, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', t.timestamp)
      .addColumn('locked_until', t.timestamp)
      .addColumn('last_error', 'text')
      .addColumn('external_id', 'text')
      .addColumn('sent_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('channel_deliveries_message_unique').on('channel_deliveries').columns(['account_id', 'message_id']).unique().execute();
    await db.schema.createIndex('channel_deliveries_due_idx').on('channel_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('channel_deliveries_conversation_idx').on('channel_deliveries').columns(['conversation_id']).execute();

    await db.schema
      .createTable('email_threads')
      .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('contact_address', 'text')
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('email_threads_token_unique').on('email_threads').columns(['account_id', 'channel_id', 'token']).unique().execute();

    await db.schema
      .createTable('email_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.references('conversations.id').onDelete('cascade'))
      .addColumn('message_id', t.bigint)
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('message_id_header', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('from_address', 'text')
      .addColumn('headers', t.json, (c) => c.notNull())
      .addColumn('original_text', 'text')
      .addColumn('disposition', 'text', (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('email_messages_header_unique')
      .on('email_messages')
      .columns(['account_id', 'channel_id', 'message_id_header'])
      .unique()
      .execute();
    await db.schema.createIndex('email_messages_message_idx').on('email_messages').columns(['account_id', 'message_id']).execute();
    await db.schema.createIndex('email_messages_conversation_idx').on('email_messages').columns(['conversation_id']).execute();

    await db.schema
      .createTable('email_mailboxes')
      .addColumn('channel_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('mailbox', 'text', (c) => c.notNull())
      .addColumn('uidvalidity', 'text')
      .addColumn('last_uid', t.bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', t.timestamp)
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('email_mailboxes').execute();
    await db.schema.dropTable('email_messages').execute();
    await db.schema.dropTable('email_threads').execute();
    await db.schema.dropTable('channel_deliveries').execute();
    await db.schema.dropTable('attachments').execute();
    await db.schema.dropIndex('channels_inbound_token_unique').execute();
    for (const column of ['status_checked_at', 'status_error_at', 'status_error', 'status_state', 'inbound_token_hash']) {
      await db.schema.alterTable('channels').dropColumn(column).execute();
    }
    await db.schema.alterTable('messages').dropColumn('delivery').execute();
    await db.schema.alterTable('messages').dropColumn('attachments').execute();
  },
};
