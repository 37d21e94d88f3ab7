import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { errorResponses } from '../../shared/http/envelope.js';
import {
  ListNotificationsQuery,
  NotificationIdParams,
  NotificationsPage,
  ReadAllBody,
  ReadOneResult,
  ReadResult,
} from './notifications.schemas.js';

/** The signed-in member's bell (issue 16). API keys have no notifications: 403. */
export function registerNotificationsRoutes(app: App, { notifications }: Services): void {
  const tags = ['Notifications'];

  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: "List the signed-in member's notifications, newest first",
        description:
          'Each tells what happened (`kind`), in which conversation, who did it and when. Besides `data` and `pagination`, the answer carries `unread_count`: all of the member\'s unread notifications, whatever the page or filter.',
        querystring: ListNotificationsQuery,
        response: { 200: NotificationsPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await notifications.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination, unread_count: page.unreadCount };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark a notification read',
        description: 'Answers the notification and the unread count after it. Another member\'s notification is 404.',
        params: NotificationIdParams,
        response: { 200: ReadOneResult, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { notification, unreadCount } = await notifications.read(request.principal, request.params.id);
      return { data: notification, unread_count: unreadCount };
    },
  );

  app.post(
    '/notifications/read_all',
    {
      schema: {
        tags,
        summary: "Mark all notifications read, or one conversation's",
        description: 'With `conversation_id`, only the notifications about that conversation (the inbox does this when the member opens it).',
        body: ReadAllBody,
        response: { 200: ReadResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ data: await notifications.readAll(request.principal, request.body ?? {}) }),
  );
}
