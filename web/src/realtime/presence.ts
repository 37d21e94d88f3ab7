import { useQuery, type QueryClient } from '@tanstack/react-query';
import { forgetMemberTyping } from './typing';

/** A `presence` notice of the event stream: a member has a conversation open, or closed it. */
export interface PresenceSignal {
  conversation_id: string;
  viewing: boolean;
  member: { id: string; name: string | null };
}

export interface Viewer {
  id: string;
  name: string | null;
}

/** Senders refresh every 15 s while the conversation stays open and visible; unrefreshed, it fades. */
export const PRESENCE_FADES_MS = 40_000;

export const presenceKey = (conversationId: string) => ['presence', conversationId] as const;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

function remove(client: QueryClient, conversationId: string, memberId: string): void {
  const timer = `${conversationId}/${memberId}`;
  clearTimeout(timers.get(timer));
  timers.delete(timer);
  client.setQueryData<Record<string, Viewer>>(presenceKey(conversationId), (old) => {
    if (!old || !(memberId in old)) return old;
    const rest = { ...old };
    delete rest[memberId];
    return rest;
  });
}

/** Applies a `presence` notice: the member is viewing (and fades unless refreshed) or left. */
export function applyPresence(client: QueryClient, signal: PresenceSignal): void {
  const { conversation_id: conversationId, member } = signal;
  if (!signal.viewing) {
    forgetMemberTyping(conversationId, member.id);
    return remove(client, conversationId, member.id);
  }
  client.setQueryData<Record<string, Viewer>>(presenceKey(conversationId), (old) => ({ ...old, [member.id]: { id: member.id, name: member.name } }));
  const timer = `${conversationId}/${member.id}`;
  clearTimeout(timers.get(timer));
  timers.set(
    timer,
    setTimeout(() => remove(client, conversationId, member.id), PRESENCE_FADES_MS),
  );
}

/** The members who have the conversation open now (written by the event stream; nothing to fetch). */
export function useViewers(conversationId: string): Viewer[] {
  const query = useQuery<Record<string, Viewer>>({
    queryKey: presenceKey(conversationId),
    queryFn: () => ({}),
    enabled: false,
    initialData: {},
    staleTime: Infinity,
  });
  return Object.values(query.data ?? {});
}
