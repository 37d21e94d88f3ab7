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

/** Applies a `typing` notice: the actor starts (and fades unless refreshed) or stops. */
export function applyTyping(client: QueryClient, signal: TypingSignal): void {
  const key = actorKey(signal.actor);
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
export function clearTyping(client: QueryClient, conversationId: string, side: TypingActor['type']): void {
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
