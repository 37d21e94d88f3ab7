import type { NotificationListRow } from './notifications.repository.js';

/** A notification as the bell lists it: what happened, in which conversation, by whom, when. */
export function presentNotification(row: NotificationListRow) {
  return {
    id: row.id,
    kind: row.kind,
    conversation_id: row.conversation_id,
    conversation_title: row.conversation_title,
    actor_name: row.actor_name,
    preview: row.preview,
    created_at: row.created_at,
    read_at: row.read_at,
  };
}

export type NotificationView = ReturnType<typeof presentNotification>;
