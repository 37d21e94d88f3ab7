import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';

type Page = paths['/api/v1/notifications']['get']['responses'][200]['content']['application/json'];
export type BellPage = Page;
export type AppNotification = Page['data'][number];

export const notificationsKey = ['notifications'] as const;
/** The panel shows the latest ones; older ones are read or no longer matter. */
const SHOWN = 30;

/**
 * The member's notifications and unread count. Kept current by the event stream (see live.ts);
 * a slow refetch catches what a dropped connection missed, never a tight poll.
 */
export function useNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationsKey,
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: SHOWN } } })),
    enabled,
    staleTime: 10_000,
    refetchInterval: 120_000,
    refetchOnWindowFocus: true,
  });
}

/** The cached page with these notifications marked read and the count the server answered. */
function markedRead(client: QueryClient, which: (n: AppNotification) => boolean, unreadCount: number): void {
  const at = new Date().toISOString();
  client.setQueryData<Page>(notificationsKey, (old) =>
    old ? { ...old, unread_count: unreadCount, data: old.data.map((n) => (n.read_at === null && which(n) ? { ...n, read_at: at } : n)) } : old,
  );
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: (body, id) => markedRead(client, (n) => n.id === id, body.unread_count),
  });
}

/** Marks all read, or only one conversation's (when the member opens it). */
export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (conversationId?: string) =>
      unwrap(api.POST('/api/v1/notifications/read_all', { body: conversationId ? { conversation_id: conversationId } : {} })),
    onSuccess: (body, conversationId) =>
      markedRead(client, (n) => conversationId === undefined || n.conversation_id === conversationId, body.data.unread_count),
  });
}
