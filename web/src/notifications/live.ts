import type { QueryClient } from '@tanstack/react-query';
import type { Member } from '../api/types';
import { notificationsKey } from './queries';

/** What the event stream carries that may mean a notification for the signed-in member. */
interface StreamEvent {
  type: string;
  data: {
    conversation?: { assignee_id: string | null; team_id: string | null };
    message?: { role: string; content: string };
    assignment?: { assignee_id: string | null };
  };
}

/** Collects the events of one action (several arrive together) into one refetch. */
const DEBOUNCE_MS = 500;
/**
 * Notifications are made from the log just after commit, as the stream is told: the first refetch
 * nearly always finds them; a second one, a little later, covers a busy moment.
 */
const SECOND_LOOK_MS = 3000;

const timers = new WeakMap<QueryClient, Array<ReturnType<typeof setTimeout>>>();

function refetchSoon(client: QueryClient): void {
  for (const t of timers.get(client) ?? []) clearTimeout(t);
  const refetch = () => void client.invalidateQueries({ queryKey: notificationsKey });
  timers.set(client, [setTimeout(refetch, DEBOUNCE_MS), setTimeout(refetch, SECOND_LOOK_MS)]);
}

/** Whether the member may have been told of this event (cheap: no false negatives, few false positives). */
function mayConcern(event: StreamEvent, me: Member): boolean {
  const { conversation, message, assignment } = event.data;
  switch (event.type) {
    case 'conversation.assigned':
      return assignment?.assignee_id === me.id || assignment?.assignee_id === null;
    case 'conversation.handoff':
      return true;
    case 'message.created':
      if (message?.role === 'user') return conversation?.assignee_id === me.id;
      return message?.role === 'note' && message.content.includes('@');
    default:
      return false;
  }
}

/** Called by the event stream for every logged event: refetches the bell when it may have news. */
export function noteForNotifications(client: QueryClient, event: StreamEvent): void {
  const me = client.getQueryData<Member | null>(['me']);
  if (me && mayConcern(event, me)) refetchSoon(client);
}
