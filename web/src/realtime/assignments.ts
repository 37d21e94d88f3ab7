import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { Conversation, Member } from '../api/types';

/** Why a conversation was assigned, as `conversation.assigned` events say. */
export interface Assignment {
  assignee_id: string | null;
  team_id: string | null;
  reason: 'manual' | 'auto' | 'takeover';
}

/** A conversation a team handed to the signed-in member by itself, to be told about once. */
export interface AssignedNotice {
  eventId: number;
  conversationId: string;
  contactId: number;
  title: string | null;
  teamId: string | null;
}

export const noticesKey = ['assigned-notices'] as const;
/** A few at most: a burst of assignments shows the latest, the list shows them all. */
const KEEP = 3;

/**
 * Keeps a notice when a team's auto-assignment gave a conversation to the signed-in member (not
 * when they or a colleague assigned it by hand: they know).
 */
export function noteAssignment(client: QueryClient, eventId: number, conversation: Conversation, assignment: Assignment | undefined): void {
  const me = client.getQueryData<Member | null>(['me']);
  if (!me || assignment?.reason !== 'auto' || assignment.assignee_id !== me.id) return;
  const notice: AssignedNotice = {
    eventId,
    conversationId: conversation.id,
    contactId: conversation.contact_id,
    title: conversation.title,
    teamId: assignment.team_id,
  };
  client.setQueryData<AssignedNotice[]>(noticesKey, (old = []) =>
    old.some((n) => n.eventId === eventId) ? old : [...old.filter((n) => n.conversationId !== notice.conversationId), notice].slice(-KEEP),
  );
}

export function dismissNotice(client: QueryClient, eventId: number): void {
  client.setQueryData<AssignedNotice[]>(noticesKey, (old = []) => old.filter((n) => n.eventId !== eventId));
}

/** The notices not yet dismissed (written by the event stream; nothing to fetch). */
export function useAssignedNotices(): AssignedNotice[] {
  const query = useQuery<AssignedNotice[]>({ queryKey: noticesKey, queryFn: () => [], enabled: false, initialData: [], staleTime: Infinity });
  return query.data ?? [];
}
