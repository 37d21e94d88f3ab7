import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Message } from '../api/types';
import { recentMemberTypers } from '../realtime/typing';

/** A colleague typing a reply this recently may be about to send it. */
export const COLLISION_WINDOW_MS = 10_000;

export const firstName = (name: string | null | undefined): string => name?.trim().split(/\s+/)[0] || 'A teammate';

/** "Tom", "Tom and Ana", "Tom, Ana and Li". */
export function namesList(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

type MessagePages = InfiniteData<{ data: Message[] }>;

/**
 * Why sending this reply now may answer the customer twice, or null: a colleague typed a reply in
 * the last seconds, or a colleague's reply arrived after this draft was started.
 */
export function collisionWarning(client: QueryClient, conversationId: string, meId: string | undefined, draftStartedAt: number | null): string | null {
  const typing = [...new Set(recentMemberTypers(conversationId, meId, COLLISION_WINDOW_MS).map(firstName))];
  const pages = client.getQueryData<MessagePages>(['messages', conversationId]);
  const replied =
    draftStartedAt === null
      ? []
      : [
          ...new Set(
            (pages?.pages.flatMap((p) => p.data) ?? [])
              .filter((m) => m.role === 'operator' && m.author_id !== meId && Date.parse(m.created_at) > draftStartedAt)
              .map((m) => firstName(m.author.name))
              .filter((n) => !typing.includes(n)),
          ),
        ];
  const lines: string[] = [];
  if (typing.length > 0) lines.push(`${namesList(typing)} ${typing.length > 1 ? 'are' : 'is'} replying too.`);
  if (replied.length > 0) lines.push(`${namesList(replied)} replied since you started writing.`);
  return lines.length > 0 ? `${lines.join(' ')} Send anyway?` : null;
}
