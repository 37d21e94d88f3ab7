import type { EventLog } from '../events/events.log.js';
import type { EventRow, EventsRepository } from '../events/events.repository.js';
import { parseJsonObject } from '../../shared/json/json.js';

/** The logged events a visitor's stream is made of (for everyone: never a note's). */
export const VISITOR_EVENT_TYPES = [
  'message.created',
  'conversation.updated',
  'conversation.ended',
  'conversation.reopened',
  'conversation.mode_changed',
  'conversation.handoff',
  'conversation.csat',
  'conversation.read',
];

/** Rows read from the log at a time. */
const BATCH = 500;

type Deliver = (row: EventRow) => void;

interface Hub {
  cursor: number;
  ready: Promise<void>;
  subscribers: Map<string, Set<Deliver>>;
  size: number;
  running: boolean;
  again: boolean;
  close(): void;
}

/** The conversation an event is about, from its data (`conversation_id`, `conversation.id` or `message.conversation_id`). */
export function conversationOf(row: EventRow): string | null {
  const data = parseJsonObject(row.data) as {
    conversation_id?: unknown;
    conversation?: { id?: unknown };
    message?: { conversation_id?: unknown };
  };
  const id = data.conversation_id ?? data.conversation?.id ?? data.message?.conversation_id;
  return typeof id === 'string' ? id : null;
}

/**
 * The event log, fanned out to widget visitors by conversation. A visitor's stream wants only its
 * own conversation's events, and there may be ten thousand of them open at once on one account:
 * following the log once per stream would read the log ten thousand times on each commit. So each
 * account with visitors connected has one reader here, woken by the log (commits in this process,
 * and through LISTEN/NOTIFY those of other processes) and polling every few seconds in case a
 * notice was missed, that hands each event to the streams of its conversation.
 */
export function createConversationFeed({ events, eventLog, pollMs = 5000 }: { events: EventsRepository; eventLog: EventLog; pollMs?: number }) {
  const hubs = new Map<string, Hub>();

  async function pump(accountId: string, hub: Hub): Promise<void> {
    if (hub.running) {
      hub.again = true;
      return;
    }
    hub.running = true;
    try {
      await hub.ready;
      do {
        hub.again = false;
        for (;;) {
          if (hubs.get(accountId) !== hub) return;
          const rows = await events.list(accountId, { after: hub.cursor, types: VISITOR_EVENT_TYPES, limit: BATCH, audiences: [] });
          for (const row of rows) {
            hub.cursor = row.id;
            const id = conversationOf(row);
            for (const deliver of (id && hub.subscribers.get(id)) || []) deliver(row);
          }
          if (rows.length < BATCH) break;
        }
      } while (hub.again);
    } catch {
      // A failed read (the database restarting): tried again on the next wake-up or poll.
    } finally {
      hub.running = false;
    }
  }

  function hubFor(accountId: string): Hub {
    const existing = hubs.get(accountId);
    if (existing) return existing;
    const hub: Hub = {
      cursor: 0,
      ready: Promise.resolve(),
      subscribers: new Map(),
      size: 0,
      running: false,
      again: false,
      close: () => {},
    };
    hub.ready = events.lastId(accountId).then(
      (id) => {
        hub.cursor = id;
      },
      () => {
        // Unknown: the hub starts from nothing new (an idle stream is none the worse).
      },
    );
    const unsubscribe = eventLog.subscribe(accountId, () => void pump(accountId, hub));
    const timer = setInterval(() => void pump(accountId, hub), pollMs);
    timer.unref();
    hub.close = () => {
      unsubscribe();
      clearInterval(timer);
    };
    hubs.set(accountId, hub);
    return hub;
  }

  return {
    /**
     * Calls `send` with each of the conversation's logged events after `after` (null: from now),
     * in log order, each once; returns the stop function. Events from before the stream joined the
     * account's reader are read from the log for this conversation alone.
     */
    subscribe(accountId: string, conversationId: string, after: number | null, send: Deliver): () => void {
      const hub = hubFor(accountId);
      let last = after ?? 0;
      let buffer: EventRow[] | null = after === null ? null : [];
      let stopped = false;
      const deliver: Deliver = (row) => {
        if (buffer) buffer.push(row);
        else if (row.id > last) {
          last = row.id;
          send(row);
        }
      };
      let set = hub.subscribers.get(conversationId);
      if (!set) hub.subscribers.set(conversationId, (set = new Set()));
      set.add(deliver);
      hub.size++;

      if (after !== null) {
        void (async () => {
          try {
            await hub.ready;
            // Everything up to the reader's position was handed out before this stream joined.
            const upTo = hub.cursor;
            let from = after;
            while (!stopped && from < upTo) {
              const rows = await events.list(accountId, { after: from, types: VISITOR_EVENT_TYPES, limit: BATCH, audiences: [] });
              for (const row of rows) {
                from = row.id;
                if (row.id > upTo) break;
                if (row.id > last && conversationOf(row) === conversationId) {
                  last = row.id;
                  send(row);
                }
              }
              if (rows.length < BATCH) break;
            }
          } catch {
            // The stream carries on from now; the visitor's frame reloads the messages on reconnect.
          } finally {
            const held = buffer ?? [];
            buffer = null;
            for (const row of held) deliver(row);
          }
        })();
      }

      return () => {
        if (stopped) return;
        stopped = true;
        set.delete(deliver);
        if (set.size === 0) hub.subscribers.delete(conversationId);
        hub.size--;
        if (hub.size === 0 && hubs.get(accountId) === hub) {
          hubs.delete(accountId);
          hub.close();
        }
      };
    },
  };
}

export type ConversationFeed = ReturnType<typeof createConversationFeed>;
