import { useEffect, useState } from 'react';
import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { Conversation, Message } from '../api/types';
import { noteForNotifications } from '../notifications/live';
import { noteAssignment, type Assignment } from './assignments';
import { draftKey, type ReplyDraft } from './drafts';
import { applyPresence, type PresenceSignal } from './presence';
import { applyTyping, clearTyping, type TypingSignal } from './typing';

/** Event types the inbox reacts to (EventSource needs one listener per named event). */
const LOGGED = [
  'conversation.created',
  'conversation.updated',
  'conversation.ended',
  'conversation.mode_changed',
  'conversation.assigned',
  'conversation.handoff',
  'conversation.csat',
  'conversation.snoozed',
  'conversation.unsnoozed',
  'conversation.reopened',
  'message.created',
  'message.feedback',
  'message.sent',
  'message.delivery_failed',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.erased',
] as const;

interface LoggedEvent {
  id: number;
  type: string;
  data: { conversation?: Conversation; message?: Message; contact?: { id: number }; assignment?: Assignment; conversation_id?: string; contact_id?: number };
}

export type LiveState = 'connecting' | 'open' | 'error';

/**
 * Whether the members' stream is connected now, and who wants to know when it (re)connects: a
 * notice sent to the others before this stream listens cannot get an answer here (presence).
 */
let streamOpen = false;
const openListeners = new Set<() => void>();
export const isStreamOpen = (): boolean => streamOpen;
export function onStreamOpen(fn: () => void): () => void {
  openListeners.add(fn);
  return () => openListeners.delete(fn);
}

type MessagePages = InfiniteData<{ data: Message[]; pagination: { cursor: string | null; has_more: boolean } }>;

/** Adds or replaces a message in a conversation's cached pages, so it shows without a refetch. */
function upsertMessage(client: QueryClient, message: Message): void {
  client.setQueryData<MessagePages>(['messages', message.conversation_id], (old) => {
    if (!old) return old;
    const exists = old.pages.some((p) => p.data.some((m) => m.id === message.id));
    const pages = old.pages.map((p, i) => {
      if (exists) return { ...p, data: p.data.map((m) => (m.id === message.id ? message : m)) };
      return i === old.pages.length - 1 ? { ...p, data: [...p.data, message] } : p;
    });
    return { ...old, pages };
  });
}

/**
 * Follows `/api/v1/events/stream` for the whole signed-in app and keeps TanStack Query's caches
 * current: the open conversation and its messages are patched in place, lists are refetched
 * (debounced, since one action can emit several events). EventSource reconnects by itself with
 * Last-Event-ID, so nothing is missed across a blip.
 */
export function useEventStream(): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const source = new EventSource('/api/v1/events/stream', { withCredentials: true });
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshLists = () => {
      clearTimeout(listTimer);
      listTimer = setTimeout(() => void client.invalidateQueries({ queryKey: ['conversations'] }), 400);
    };

    const onRead = (raw: MessageEvent<string>) => {
      // {conversation_id, reader, message_id}: the contact's "Seen", or the team having read.
      const { data } = JSON.parse(raw.data) as { data: { conversation_id: string; reader: 'contact' | 'team'; message_id: number } };
      const field = data.reader === 'contact' ? 'contact_read_message_id' : 'team_read_message_id';
      client.setQueryData(['conversation', data.conversation_id], (old: Conversation | undefined) =>
        old && (old[field] ?? 0) < data.message_id ? { ...old, [field]: data.message_id } : old,
      );
    };
    const onTyping = (raw: MessageEvent<string>) => applyTyping(client, JSON.parse(raw.data) as TypingSignal);
    const onPresence = (raw: MessageEvent<string>) => applyPresence(client, JSON.parse(raw.data) as PresenceSignal);

    const onLogged = (raw: MessageEvent<string>) => {
      const event = JSON.parse(raw.data) as LoggedEvent;
      noteForNotifications(client, event);
      const { conversation, message, contact } = event.data;
      if (conversation) {
        client.setQueryData(['conversation', conversation.id], (old: Conversation | undefined) => (old ? { ...old, ...conversation, unread_count: old.unread_count } : old));
        // An open conversation is re-read, which also marks the new message as read.
        void client.invalidateQueries({ queryKey: ['conversation', conversation.id] });
        // A visitor asking for a person may leave an email to be answered at: a claim on the contact.
        if (event.type === 'conversation.handoff') void client.invalidateQueries({ queryKey: ['contact', conversation.contact_id] });
        // A team that assigns by itself gave it to this member: a notice says so.
        if (event.type === 'conversation.assigned') noteAssignment(client, event.id, conversation, event.data.assignment);
        refreshLists();
      }
      if (message) {
        upsertMessage(client, message);
        if (message.role === 'user') clearTyping(client, message.conversation_id, 'contact');
        if (message.role === 'operator') clearTyping(client, message.conversation_id, 'member', message.author_id);
        if (message.role === 'assistant') client.setQueryData<ReplyDraft | null>(draftKey(message.conversation_id), null);
      }
      if (contact) void client.invalidateQueries({ queryKey: ['contact', contact.id] });
      // An erased contact's conversations are gone from every list (its event carries ids only).
      if (event.type === 'contact.erased') {
        void client.invalidateQueries({ queryKey: ['contact', event.data.contact_id] });
        refreshLists();
      }
      // A message the channel gave up on: its bubble says so. Read again in case the event only names it.
      if (event.type === 'message.delivery_failed') {
        const conversationId = message?.conversation_id ?? event.data.conversation_id;
        if (conversationId) void client.invalidateQueries({ queryKey: ['messages', conversationId] });
      }
    };
    const onDelta = (raw: MessageEvent<string>) => {
      const data = JSON.parse(raw.data) as { conversation_id: string; message_id: number | null; content: string };
      const draft: ReplyDraft = { messageId: data.message_id, content: data.content };
      client.setQueryData<ReplyDraft | null>(draftKey(data.conversation_id), () => draft);
    };
    const onFinished = (raw: MessageEvent<string>) => {
      const data = JSON.parse(raw.data) as { conversation_id: string; status: 'completed' | 'failed' };
      // A completed reply is replaced by its message.created; a failed one shows as failed after a re-read.
      if (data.status === 'failed') {
        client.setQueryData<ReplyDraft | null>(draftKey(data.conversation_id), null);
        void client.invalidateQueries({ queryKey: ['messages', data.conversation_id] });
      }
    };

    for (const type of LOGGED) source.addEventListener(type, onLogged);
    source.addEventListener('conversation.read', onRead);
    source.addEventListener('typing', onTyping);
    source.addEventListener('presence', onPresence);
    source.addEventListener('reply.delta', onDelta);
    source.addEventListener('reply.finished', onFinished);
    source.onopen = () => {
      setState('open');
      streamOpen = true;
      for (const fn of openListeners) fn();
    };
    source.onerror = () => {
      streamOpen = false;
      setState(source.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    };
    return () => {
      clearTimeout(listTimer);
      streamOpen = false;
      source.close();
    };
  }, [client]);

  return state;
}
