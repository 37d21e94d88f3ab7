import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Conversation, ConversationFilters, ConversationListItem, DirectoryEntry, Priority } from '../api/types';
import { isQueued } from './attachments';

/** A page holds as many rows as one bulk action takes in a sweep of click and shift-click. */
const PAGE = 50;

/**
 * The conversation list by last activity (a message, else the start: ending or tagging one does
 * not move it), one cursor page at a time; each page is one request, contacts and last messages
 * included.
 */
export function useConversationList(filters: ConversationFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['conversations', filters],
    enabled,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/conversations', {
          params: { query: { ...filters, sort: 'last_activity', order: 'desc', include: 'contact,last_message', limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.pagination.has_more && last.pagination.cursor ? last.pagination.cursor : undefined),
  });
}

type ListPages = InfiniteData<{ data: ConversationListItem[]; pagination: { cursor: string | null; has_more: boolean } }>;

/** Opening a conversation marks it read on the server; the lists show that at once. */
function markReadInLists(client: QueryClient, id: string): void {
  client.setQueriesData<ListPages>({ queryKey: ['conversations'] }, (old) =>
    old?.pages
      ? { ...old, pages: old.pages.map((p) => ({ ...p, data: p.data.map((c) => (c.id === id && c.unread_count > 0 ? { ...c, unread_count: 0 } : c)) })) }
      : old,
  );
}

export function useConversation(id: string | undefined) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ['conversation', id],
    queryFn: async () => {
      const conversation = (await unwrap(api.GET('/api/v1/conversations/{id}', { params: { path: { id: id! } } }))).data;
      markReadInLists(client, conversation.id);
      return conversation;
    },
    enabled: Boolean(id),
  });
}

/**
 * A message leaving through a channel is queued, then sent with no event to say so (a failure has
 * one): while any shown message is queued, the conversation's messages are read again this often.
 */
const DELIVERY_POLL_MS = 3000;

/** Every message of a conversation, oldest first: the pages are read until the end. */
export function useMessages(id: string) {
  const query = useInfiniteQuery({
    queryKey: ['messages', id],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/conversations/{conversation_id}/messages', {
          params: { path: { conversation_id: id }, query: { limit: 100, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.pagination.has_more && last.pagination.cursor ? last.pagination.cursor : undefined),
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.data.some(isQueued)) ? DELIVERY_POLL_MS : false),
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return query;
}

export function useContact(id: number | undefined) {
  return useQuery({
    queryKey: ['contact', id],
    queryFn: async () => (await unwrap(api.GET('/api/v1/contacts/{id}', { params: { path: { id: id! } } }))).data,
    enabled: id !== undefined,
    staleTime: 60_000,
  });
}

export function useContactConversations(contactId: number | undefined) {
  return useQuery({
    queryKey: ['conversations', { contact_id: contactId, panel: true }],
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/conversations', { params: { query: { contact_id: contactId!, limit: 20, sort: 'updated_at' } } }))).data,
    enabled: contactId !== undefined,
  });
}

/** Lookup lists for filters and pickers; they change rarely. */
export function useAgents() {
  return useQuery({
    queryKey: ['agents'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/agents', { params: { query: { limit: 100 } } }))).data,
    staleTime: 5 * 60_000,
  });
}
export function useChannels() {
  return useQuery({
    queryKey: ['channels'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/channels', { params: { query: { limit: 100 } } }))).data,
    staleTime: 5 * 60_000,
  });
}
/** The account's teams (anyone may read them): filters, the team picker, badges, channel forms. */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 100 } } }))).data,
    staleTime: 5 * 60_000,
  });
}
export function useStates() {
  return useQuery({
    queryKey: ['states'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/conversation_states', { params: { query: { limit: 100 } } }))).data,
    staleTime: 5 * 60_000,
  });
}
/** Availability changes send no event: members are read again this often while a list of them is shown. */
const DIRECTORY_REFRESH_MS = 60_000;

/** Members with emails and roles, for the admin's members page (admin-only). */
export function useMembers(enabled: boolean) {
  return useQuery({
    queryKey: ['members'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/members', { params: { query: { limit: 100 } } }))).data,
    enabled,
    staleTime: 30_000,
    refetchInterval: DIRECTORY_REFRESH_MS,
  });
}

/**
 * Every member of the account by id, name and availability, for anyone signed in (admins and
 * agents alike): the assignee picker, the names of assignees, the availability dots. Read to the
 * end, 100 a page; it shares the `members` prefix, so the members page's changes refresh it too.
 */
export function useMemberDirectory() {
  return useQuery({
    queryKey: ['members', 'directory'],
    queryFn: async () => {
      const all: DirectoryEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(api.GET('/api/v1/members/directory', { params: { query: { limit: 100, cursor } } }));
        all.push(...page.data);
        cursor = page.pagination.has_more && page.pagination.cursor ? page.pagination.cursor : undefined;
      } while (cursor);
      return all;
    },
    staleTime: 30_000,
    refetchInterval: DIRECTORY_REFRESH_MS,
  });
}

/** The actions on one conversation; each answer replaces the cached conversation. */
export function useConversationActions(id: string) {
  const client = useQueryClient();
  const path = { params: { path: { id } } };
  const settle = (conversation: Conversation) => {
    client.setQueryData(['conversation', id], conversation);
    void client.invalidateQueries({ queryKey: ['conversations'] });
  };
  const m = <A,>(fn: (arg: A) => Promise<{ data: Conversation }>) => ({
    mutationFn: fn,
    onSuccess: (body: { data: Conversation }) => settle(body.data),
  });
  return {
    mode: useMutation(m((mode: 'ai' | 'manual') => unwrap(api.POST('/api/v1/conversations/{id}/mode', { ...path, body: { mode } })))),
    end: useMutation(m(() => unwrap(api.POST('/api/v1/conversations/{id}/end', path)))),
    handoff: useMutation({
      mutationFn: (reason?: string) => unwrap(api.POST('/api/v1/conversations/{id}/handoff', { ...path, body: reason ? { reason } : {} })),
      onSuccess: (body: { data: Conversation }) => {
        settle(body.data);
        // The handoff wrote its summary note (and told the customer): the banner shows the note.
        void client.invalidateQueries({ queryKey: ['messages', id] });
      },
    }),
    addTag: useMutation(m((tag: string) => unwrap(api.POST('/api/v1/conversations/{id}/tags', { ...path, body: { tag } })))),
    removeTag: useMutation(
      m((tag: string) => unwrap(api.DELETE('/api/v1/conversations/{id}/tags/{tag}', { params: { path: { id, tag } } }))),
    ),
    assign: useMutation(
      m((body: { member_id?: string | null; team_id?: string | null }) => unwrap(api.POST('/api/v1/conversations/{id}/assign', { ...path, body }))),
    ),
    update: useMutation(
      m((body: { state_id?: string | null; priority?: Priority; title?: string | null }) =>
        unwrap(api.PATCH('/api/v1/conversations/{id}', { ...path, body })),
      ),
    ),
  };
}

export function useSendMessage(conversation: Conversation) {
  const client = useQueryClient();
  const id = conversation.id;
  return useMutation({
    mutationFn: (input: { role: 'operator' | 'note'; content: string; attachment_ids?: string[] }) =>
      unwrap(api.POST('/api/v1/conversations/{conversation_id}/messages', { params: { path: { conversation_id: id } }, body: input })),
    onSuccess: (_body, input) => {
      void client.invalidateQueries({ queryKey: ['messages', id] });
      // A reply while the AI answers may take the conversation over (mode, assignee). The event
      // stream says so too; reading it again also covers a stream that is reconnecting.
      if (input.role === 'operator' && conversation.mode === 'ai') void client.invalidateQueries({ queryKey: ['conversation', id] });
    },
  });
}

export function useSuggestion(id: string) {
  return useMutation({
    mutationFn: async () => (await unwrap(api.GET('/api/v1/conversations/{id}/suggestion', { params: { path: { id } } }))).data,
  });
}
