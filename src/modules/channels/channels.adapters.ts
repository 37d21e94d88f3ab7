import type { Selectable } from 'kysely';
import type { AttachmentsTable, ContactsTable, ConversationsTable, MessagesTable } from '../../shared/db/schema.js';
import type { JsonObject } from '../../shared/json/json.js';
import type { ChannelRow } from './channels.repository.js';
import type { ChannelType } from './channels.schemas.js';

/** One message going out through a channel: everything a sender needs, read when it is sent. */
export interface OutboundMessage {
  channel: ChannelRow;
  conversation: Selectable<ConversationsTable>;
  contact: Selectable<ContactsTable> | undefined;
  message: Selectable<MessagesTable>;
  attachments: Selectable<AttachmentsTable>[];
  /** The workspace's name ("Ana from Acme"). */
  workspaceName: string;
}

/** What a successful send leaves on the delivery: the channel's own id for it (an email's Message-ID). */
export interface SentMessage {
  externalId: string | null;
}

/**
 * A send that cannot succeed by trying again (a contact without an address, a refused recipient):
 * the delivery fails at once instead of being retried.
 */
export class PermanentSendError extends Error {}

/**
 * A channel: how its config is checked and shown, and how messages leave through it. Inbound
 * traffic enters through the channel's own routes and tasks (email: the raw-mail route and the IMAP
 * poller), which all end in the same receive use case. A channel without `send` delivers nothing
 * itself: `api` integrations read messages through the API and webhooks, `web_widget` visitors
 * through their stream.
 */
export interface ChannelAdapter {
  type: ChannelType;
  /**
   * Checks and completes a config being written; `current` is the stored one on an update (null on
   * creation), so write-only secrets left out keep their value. Throws UNPROCESSABLE_ENTITY.
   */
  normalizeConfig?(input: JsonObject, current: JsonObject | null): JsonObject;
  /** The config as the API shows it: secrets removed. */
  presentConfig?(config: JsonObject): JsonObject;
  /** Delivers one assistant or operator message; throws to fail the attempt (retried unless PermanentSendError). */
  send?(outbound: OutboundMessage): Promise<SentMessage>;
}
