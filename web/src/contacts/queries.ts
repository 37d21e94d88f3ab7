import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { paths } from '../api/schema';
import type { Contact } from '../api/types';

export type ContactPatch = NonNullable<paths['/api/v1/contacts/{id}']['patch']['requestBody']>['content']['application/json'];

/** The search box's limit, the server's too: longer text is refused with a plain message, not sent. */
export const MAX_SEARCH = 200;
const PAGE = 25;

/** Contacts matching `q` (all when empty), newest first, a page at a time. */
export function useContactSearch(q: string) {
  return useInfiniteQuery({
    queryKey: ['contacts', 'search', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/contacts', { params: { query: { q: q || undefined, limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => (last.pagination.has_more ? (last.pagination.cursor ?? undefined) : undefined),
    enabled: q.length <= MAX_SEARCH,
  });
}

export function useContact(id: number) {
  return useQuery({
    queryKey: ['contacts', 'one', id],
    queryFn: async () => (await unwrap(api.GET('/api/v1/contacts/{id}', { params: { path: { id } } }))).data,
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

/** A contact's conversations, most recently active first. */
export function useContactConversations(id: number) {
  return useInfiniteQuery({
    queryKey: ['contacts', 'conversations', id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/contacts/{id}/conversations', { params: { path: { id }, query: { limit: 20, cursor: pageParam } } })),
    getNextPageParam: (last) => (last.pagination.has_more ? (last.pagination.cursor ?? undefined) : undefined),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

export function useUpdateContact(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (patch: ContactPatch) => (await unwrap(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body: patch }))).data,
    onSuccess: (contact: Contact) => {
      client.setQueryData(['contacts', 'one', id], contact);
      void client.invalidateQueries({ queryKey: ['contacts', 'search'] });
    },
  });
}

export function useDeleteContact(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/contacts/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      client.removeQueries({ queryKey: ['contacts', 'one', id] });
      void client.invalidateQueries({ queryKey: ['contacts', 'search'] });
    },
  });
}

/** What to call a contact in a list or a heading. */
export function contactLabel(c: Pick<Contact, 'name' | 'email' | 'first_name' | 'last_name' | 'id'>): string {
  const full = [c.first_name, c.last_name].filter(Boolean).join(' ');
  return c.name || full || c.email || `Guest #${c.id}`;
}
