import type { Executor } from '../../shared/db/database.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';
import { MESSAGE_VIEW_COLUMNS } from '../messages/messages.repository.js';

/** What a widget visitor reads: its own conversations of one channel, and their public messages. */
export function createWidgetRepository({ db }: { db: Executor }) {
  return {
    /** A contact's conversations of one channel, newest first. */
    listConversations(accountId: string, contactId: number, channelId: string, page: { after: CursorValue[] | null; limit: number }) {
      let q = db
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('contact_id', '=', contactId)
        .where('channel_id', '=', channelId);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'desc'));
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    },

    /** The messages the contact sees (never notes or system messages, nor a reply still being written), oldest first, with their sources. */
    listMessages(accountId: string, conversationId: string, page: { after: CursorValue[] | null; limit: number }) {
      let q = db
        .selectFrom('messages')
        .select([...MESSAGE_VIEW_COLUMNS, 'sources'])
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', 'in', ['user', 'assistant', 'operator'])
        .where('status', '=', 'completed');
      if (page.after) q = q.where(afterKey(['id'], page.after, 'asc'));
      return q.orderBy('id', 'asc').limit(page.limit + 1).execute();
    },
  };
}

export type WidgetRepository = ReturnType<typeof createWidgetRepository>;
