import { requireMember } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import { notFound } from '../../shared/errors/errors.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import { presentNotification } from './notifications.presenters.js';
import type { NotificationsRepository } from './notifications.repository.js';

/**
 * A member's own notifications (issue 16): only members have them (an API key is 403), and only
 * their own exist for them (another member's or account's is 404).
 */
export function createNotificationsUseCases({ notifications }: { notifications: NotificationsRepository }) {
  return {
    /** Newest first, with the member's unread count (all of it, not only this page's). */
    async list(principal: Principal, query: { unread?: boolean; limit?: number; cursor?: string }) {
      const { accountId, memberId } = requireMember(principal);
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const [rows, unreadCount] = await Promise.all([
        notifications.list(accountId, memberId, { unread: query.unread === true, limit, after }),
        notifications.unreadCount(accountId, memberId),
      ]);
      const page = toPage(rows, limit, (r) => [r.created_at, r.id], presentNotification);
      return { ...page, unreadCount };
    },

    /** Marks one read (again is fine: it keeps when it was first read). */
    async read(principal: Principal, id: string) {
      const { accountId, memberId } = requireMember(principal);
      await notifications.markRead(accountId, memberId, nowIso(), { id });
      const row = await notifications.findOwn(accountId, memberId, id);
      if (!row) throw notFound('notification');
      return { notification: presentNotification(row), unreadCount: await notifications.unreadCount(accountId, memberId) };
    },

    /** Marks all of the member's notifications read, or those of one conversation. */
    async readAll(principal: Principal, input: { conversation_id?: string }) {
      const { accountId, memberId } = requireMember(principal);
      const marked = await notifications.markRead(accountId, memberId, nowIso(), { conversationId: input.conversation_id });
      return { marked, unread_count: await notifications.unreadCount(accountId, memberId) };
    },
  };
}

export type NotificationsUseCases = ReturnType<typeof createNotificationsUseCases>;
