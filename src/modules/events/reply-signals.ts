import { randomUUID } from 'node:crypto';

/**
 * Live notices that are not stored and not replayed (a reconnecting client simply sees the next
 * one), on the members' event stream and a widget visitor's stream:
 * - `reply.delta` / `reply.finished`: an AI reply still being written. The event log only
 *   announces a reply once it is complete (`message.created`), so a watcher would otherwise see
 *   nothing until the end. These stay in the process writing the reply (one per delta, the whole
 *   text each time: too many and too large for NOTIFY); a client of another process still gets
 *   `message.created` from the log.
 * - `typing`: a contact or a member is typing in a conversation. These are small and rare, and
 *   reach every process through PostgreSQL NOTIFY (the `relay`), so an operator on process B sees
 *   a visitor typing on process A.
 * - `presence`: a member has a conversation open (viewing true, refreshed every ~15 s) or closed
 *   it (false), so colleagues see "Tom is viewing" before two people answer the same customer.
 *   Members only (never a visitor's stream), relayed like `typing`.
 */
export type ReplySignal =
  | {
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
  | {
      type: 'typing';
      data: {
        conversation_id: string;
        typing: boolean;
        actor: { type: 'contact' | 'member'; id: string | number; name: string | null };
      };
    }
  | {
      type: 'presence';
      data: { conversation_id: string; viewing: boolean; member: { id: string; name: string | null } };
    };

/** The signals small and rare enough to share with every process. */
const RELAYED = new Set<ReplySignal['type']>(['typing', 'presence']);

type Listener = (signal: ReplySignal) => void;

/** Carries shared signals to the other processes (PostgreSQL NOTIFY); absent on SQLite (one process). */
export interface SignalRelay {
  broadcast(payload: string): void;
  onBroadcast(fn: (payload: string) => void): void;
}

/** NOTIFY payloads are at most 8000 bytes; a typing or presence signal is far below. */
const MAX_RELAYED = 7000;

export function createReplySignals() {
  const listeners = new Map<string, Set<Listener>>();
  /** Listeners of one conversation (widget visitors), keyed `account:conversation`: a delta reaches its own only. */
  const byConversation = new Map<string, Set<Listener>>();
  const self = randomUUID();
  let relay: SignalRelay | null = null;

  function deliver(accountId: string, signal: ReplySignal): void {
    const everyone = listeners.get(accountId) ?? [];
    const own = byConversation.get(`${accountId}:${signal.data.conversation_id}`) ?? [];
    for (const set of [everyone, own]) {
      for (const fn of set) {
        try {
          fn(signal);
        } catch {
          // One broken subscriber must not stop the reply or the others.
        }
      }
    }
  }

  function add(map: Map<string, Set<Listener>>, key: string, fn: Listener): () => void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) map.delete(key);
    };
  }

  return {
    publish(accountId: string, signal: ReplySignal): void {
      deliver(accountId, signal);
      if (relay && RELAYED.has(signal.type)) {
        const payload = JSON.stringify({ from: self, account_id: accountId, signal });
        if (payload.length <= MAX_RELAYED) relay.broadcast(payload);
      }
    },
    /** Every signal of the account (the members' stream); returns the unsubscribe function. */
    subscribe(accountId: string, fn: Listener): () => void {
      return add(listeners, accountId, fn);
    },
    /**
     * The signals of one conversation (a visitor's stream): with thousands of visitors connected,
     * each delta of a reply costs one call, not one per visitor.
     */
    subscribeConversation(accountId: string, conversationId: string, fn: Listener): () => void {
      return add(byConversation, `${accountId}:${conversationId}`, fn);
    },
    /** Shares typing and presence signals with other processes, and delivers theirs here. */
    connect(r: SignalRelay): void {
      relay = r;
      r.onBroadcast((payload) => {
        try {
          const { from, account_id, signal } = JSON.parse(payload) as { from: string; account_id: string; signal: ReplySignal };
          if (from !== self && typeof account_id === 'string' && signal && RELAYED.has(signal.type)) deliver(account_id, signal);
        } catch {
          // Not ours to understand: ignored.
        }
      });
    },
  };
}

export type ReplySignals = ReturnType<typeof createReplySignals>;
