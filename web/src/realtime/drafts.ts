import { useQuery } from '@tanstack/react-query';

/** An AI reply being written, as the event stream's reply.delta notices last described it. */
export interface ReplyDraft {
  messageId: number | null;
  content: string;
}

export const draftKey = (conversationId: string) => ['reply-draft', conversationId] as const;

/**
 * The live draft of a conversation's AI reply. It lives in the query cache (written by the event
 * stream), so every component reading it re-renders on each delta; there is nothing to fetch.
 */
export function useReplyDraft(conversationId: string): ReplyDraft | null {
  const query = useQuery<ReplyDraft | null>({
    queryKey: draftKey(conversationId),
    queryFn: () => null,
    enabled: false,
    initialData: null,
    staleTime: Infinity,
  });
  return query.data ?? null;
}
