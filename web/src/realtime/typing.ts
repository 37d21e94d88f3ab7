import { useQuery, type QueryClient } from '@tanstack/react-query';

/** Who is typing, as the event stream's `typing` notices say: the contact, or a member. */
export interface TypingActor {
  type: 'contact' | 'member';
  id: string | number;
  name: string | null;
}

export interface TypingSignal {
  conversation_id: string;
  typing: boolean;
  actor: TypingActor;
}

/** The people typing in one conversation, by `type:id`. */
export type Typers = Record<string, TypingActor>;

/** A notice not refreshed within this time is taken as stopped (senders refresh every 3 s). */
export const TYPING_FADES_MS = 6000;

export const typingKey = (conversationId: string) => ['typing', conversationId] as const;
const actorKey = (a: TypingActor) => `${a.type}:${a.id}`;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

function remove(client: QueryClient, conversationId: string, key: string): void {
  clearTimeout(timers.get(`${conversationId}/${key}`));
  timers.delete(`${conversationId}/${key}`);
  client.setQueryData<Typers>(typingKey(conversationId), (old) => {
    if (!old || !(key in old)) return old;
    const rest = { ...old };
    delete rest[key];
    return rest;
  });
}

/** When each member last said they were typing a reply, by conversation then member id (ms). */
const memberTypedAt = new Map<string, Map<string, { at: number; name: string | null }>>();

/**
 * The other members who were typing a reply in the conversation within `withinMs`, even if they
 * have stopped since (their reply may be on its way): sending now would answer the customer twice.
 */
export function recentMemberTypers(conversationId: string, exceptId: string | undefined, withinMs: number, now = Date.now()): string[] {
  const seen = memberTypedAt.get(conversationId);
  if (!seen) return [];
  return [...seen.entries()].filter(([id, t]) => id !== exceptId && now - t.at <= withinMs).map(([, t]) => t.name || 'A teammate');
}

/** The member closed the conversation: what they were typing is not on its way. */
export function forgetMemberTyping(conversationId: string, memberId: string): void {
  memberTypedAt.get(conversationId)?.delete(memberId);
}

/** Applies a `typing` notice: the actor starts (and fades unless refreshed) or stops. */
export function applyTyping(client: QueryClient, signal: TypingSignal): void {
  const key = actorKey(signal.actor);
  if (signal.actor.type === 'member') {
    const byMember = memberTypedAt.get(signal.conversation_id) ?? new Map<string, { at: number; name: string | null }>();
    memberTypedAt.set(signal.conversation_id, byMember);
    const id = String(signal.actor.id);
    // "Stopped" still means typed just now; a reply that arrived clears it (clearTyping).
    byMember.set(id, { at: signal.typing ? Date.now() : (byMember.get(id)?.at ?? 0), name: signal.actor.name });
  }
  if (!signal.typing) return remove(client, signal.conversation_id, key);
  client.setQueryData<Typers>(typingKey(signal.conversation_id), (old) => ({ ...old, [key]: signal.actor }));
  const timer = `${signal.conversation_id}/${key}`;
  clearTimeout(timers.get(timer));
  timers.set(
    timer,
    setTimeout(() => remove(client, signal.conversation_id, key), TYPING_FADES_MS),
  );
}

/** A message arrived: whoever of that side was typing has sent it. */
export function clearTyping(client: QueryClient, conversationId: string, side: TypingActor['type'], authorId?: string | null): void {
  if (side === 'member' && authorId) memberTypedAt.get(conversationId)?.delete(authorId);
  const typers = client.getQueryData<Typers>(typingKey(conversationId)) ?? {};
  for (const [key, actor] of Object.entries(typers)) if (actor.type === side) remove(client, conversationId, key);
}

/** Who is typing in a conversation now (written by the event stream; nothing to fetch). */
export function useTypers(conversationId: string): TypingActor[] {
  const query = useQuery<Typers>({
    queryKey: typingKey(conversationId),
    queryFn: () => ({}),
    enabled: false,
    initialData: {},
    staleTime: Infinity,
  });
  return Object.values(query.data ?? {});
}
