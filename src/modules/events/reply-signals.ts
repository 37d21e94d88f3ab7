/**
 * Notifications about AI replies still being written, for the inbox: the event log only announces
 * a reply once it is complete (`message.created`), so an operator watching a conversation would
 * otherwise see nothing until the end. These are not stored and not replayed (a reconnecting
 * client simply sees the next one); they reach subscribers in this process only, which is where
 * the reply is being generated. With several processes, a member connected to another process
 * still gets `message.created` from the log.
 */
export interface ReplySignal {
  type: 'reply.delta' | 'reply.finished';
  data: {
    conversation_id: string;
    /** The assistant message being written, when it already exists (streamed or async replies). */
    message_id: number | null;
    /** reply.delta: the text written so far, whole, so a client joining mid-reply shows it all. */
    content?: string;
    /** reply.finished: how it ended; `completed` is followed by the log's `message.created`. */
    status?: 'completed' | 'failed';
  };
}

type Listener = (signal: ReplySignal) => void;

export function createReplySignals() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    publish(accountId: string, signal: ReplySignal): void {
      for (const fn of listeners.get(accountId) ?? []) {
        try {
          fn(signal);
        } catch {
          // One broken subscriber must not stop the reply or the others.
        }
      }
    },
    /** Returns the unsubscribe function. */
    subscribe(accountId: string, fn: Listener): () => void {
      let set = listeners.get(accountId);
      if (!set) listeners.set(accountId, (set = new Set()));
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0) listeners.delete(accountId);
      };
    },
  };
}

export type ReplySignals = ReturnType<typeof createReplySignals>;
