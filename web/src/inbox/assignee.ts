import { useEffect } from 'react';
import type { Availability } from '../api/types';
import { useMe } from '../auth/session';
import { shortName } from './authors';
import { useMemberDirectory } from './queries';

/** Who a conversation is assigned to, by name, and whether it is the reader. */
export interface AssigneeName {
  id: string;
  /** The member's full name, for the details and tooltips. */
  full: string;
  /** Their first name unless a colleague shares it, for tight places like the list. */
  short: string;
  own: boolean;
  /** Null for a member no longer in the directory. */
  availability: Availability | null;
}

/** The assignee's name from the member directory (anyone may read it); null when unassigned. */
export function useAssigneeName(assigneeId: string | null): AssigneeName | null {
  const meId = useMe().data?.id;
  const directory = useMemberDirectory();
  const list = directory.data;
  const member = assigneeId ? list?.find((m) => m.id === assigneeId) : undefined;
  // Someone added since the directory was read: read it again (at most every 10 s, however many rows ask).
  const missing = Boolean(assigneeId && list && !member);
  const { dataUpdatedAt, isFetching, refetch } = directory;
  useEffect(() => {
    if (missing && !isFetching && Date.now() - dataUpdatedAt > 10_000) void refetch();
  }, [missing, isFetching, dataUpdatedAt, refetch]);

  if (!assigneeId) return null;
  if (!member) {
    // Still loading, or a member who has since left the account.
    const unknown = list ? 'A former member' : 'A teammate';
    return { id: assigneeId, full: unknown, short: unknown, own: assigneeId === meId, availability: null };
  }
  return {
    id: assigneeId,
    full: member.name,
    short: shortName(member.name, list!.map((m) => m.name)),
    own: assigneeId === meId,
    availability: member.availability,
  };
}
