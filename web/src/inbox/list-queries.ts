import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { BulkResult, Conversation, SavedView } from '../api/types';
import type { ViewFilters } from './filters';

/**
 * How many conversations each view holds. Its key sits under `conversations`, so whatever
 * refreshes the lists (the event stream, an action) refreshes the counts in the same sweep.
 */
export function useConversationCounts() {
  return useQuery({
    queryKey: ['conversations', 'counts'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/conversations/counts'))).data,
    staleTime: 5_000,
  });
}

/** The member's personal views and every shared one. */
export function useSavedViews() {
  return useQuery({
    queryKey: ['views'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/views'))).data,
    staleTime: 60_000,
  });
}

export function useSavedViewActions() {
  const client = useQueryClient();
  const settle = () => {
    void client.invalidateQueries({ queryKey: ['views'] });
    void client.invalidateQueries({ queryKey: ['conversations', 'counts'] });
  };
  return {
    create: useMutation({
      mutationFn: async (body: { name: string; scope: SavedView['scope']; filters: ViewFilters }) => (await unwrap(api.POST('/api/v1/views', { body }))).data,
      onSuccess: settle,
    }),
    rename: useMutation({
      mutationFn: async ({ id, name }: { id: string; name: string }) =>
        (await unwrap(api.PATCH('/api/v1/views/{id}', { params: { path: { id } }, body: { name } }))).data,
      onSuccess: settle,
    }),
    remove: useMutation({
      mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/views/{id}', { params: { path: { id } } })),
      onSuccess: settle,
    }),
  };
}

export type BulkAction = 'assign' | 'tag' | 'untag' | 'set_state' | 'set_priority' | 'snooze' | 'unsnooze' | 'end' | 'reopen';

/** One action on many conversations; the answer says, per id, whether it was applied. */
export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { ids: string[]; action: BulkAction; value?: string | null }): Promise<BulkResult[]> =>
      (await unwrap(api.POST('/api/v1/conversations/bulk', { body }))).data.results,
    onSuccess: (results) => {
      for (const r of results) if (r.ok && r.conversation) client.setQueryData(['conversation', r.id], r.conversation);
      void client.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
}

/** Snooze, wake and reopen one conversation; each answer replaces the cached conversation. */
export function useSnoozeActions(id: string) {
  const client = useQueryClient();
  const path = { params: { path: { id } } };
  const settle = (body: { data: Conversation }) => {
    client.setQueryData(['conversation', id], body.data);
    void client.invalidateQueries({ queryKey: ['conversations'] });
  };
  return {
    snooze: useMutation({ mutationFn: (until: string) => unwrap(api.POST('/api/v1/conversations/{id}/snooze', { ...path, body: { until } })), onSuccess: settle }),
    unsnooze: useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/conversations/{id}/unsnooze', path)), onSuccess: settle }),
    reopen: useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/conversations/{id}/reopen', path)), onSuccess: settle }),
  };
}
