import type { Principal } from '../../shared/auth/principal.js';
import { badRequest } from '../../shared/errors/errors.js';
import { parseJsonObject } from '../../shared/json/json.js';
import { audiencesOf } from './audience.js';
import type { EventLog } from './events.log.js';
import type { EventRow, EventsRepository } from './events.repository.js';

/** The event as the API and webhooks show it. */
export function presentEvent(row: EventRow) {
  return { id: row.id, type: row.type, created_at: row.created_at, data: parseJsonObject(row.data) };
}

export type EventView = ReturnType<typeof presentEvent>;

/** `type=a,b` → ['a', 'b']. */
function typesOf(type: string | undefined): string[] | undefined {
  if (type === undefined) return undefined;
  const types = type.split(',').map((t) => t.trim()).filter(Boolean);
  if (types.some((t) => !/^[a-z_]+(\.[a-z_]+)*$/.test(t))) {
    const problem = 'must be event types separated by commas, like message.created,conversation.ended';
    throw badRequest(`type ${problem}`, { type: [problem] });
  }
  return types;
}

export function createEventsUseCases({ events, eventLog }: { events: EventsRepository; eventLog: EventLog }) {
  /**
   * The safety-net poll of `follow`, shared by the streams of one account (and poll interval): one
   * query for the account's latest event id per tick, and only streams behind it read the log.
   * A timer and a query per stream made 10,000 idle streams cost 2,000 queries a second.
   */
  const pollers = new Map<string, { streams: Set<(latest: number) => void>; timer: NodeJS.Timeout }>();
  function joinPoll(accountId: string, pollMs: number, check: (latest: number) => void): () => void {
    const key = `${accountId}:${pollMs}`;
    let poller = pollers.get(key);
    if (!poller) {
      const streams = new Set<(latest: number) => void>();
      const timer = setInterval(() => {
        events.lastId(accountId).then(
          (latest) => {
            for (const fn of streams) fn(latest);
          },
          () => {
            // A failed read (database restarting): the streams try again on the next tick.
          },
        );
      }, pollMs);
      timer.unref();
      pollers.set(key, (poller = { streams, timer }));
    }
    const p = poller;
    p.streams.add(check);
    return () => {
      p.streams.delete(check);
      if (p.streams.size === 0) {
        clearInterval(p.timer);
        if (pollers.get(key) === p) pollers.delete(key);
      }
    };
  }

  return {
    /** Events after `after`, in commit order; the cursor is the last event's id. */
    async list(principal: Principal, query: { after?: number; type?: string; limit?: number; cursor?: string }) {
      const limit = query.limit ?? 20;
      const fromCursor = query.cursor !== undefined ? Number(query.cursor) : undefined;
      if (fromCursor !== undefined && !Number.isSafeInteger(fromCursor)) {
        throw badRequest('Invalid cursor', { cursor: ['is not a cursor returned by this collection'] });
      }
      const after = fromCursor ?? query.after ?? 0;
      const rows = await events.list(principal.accountId, { after, types: typesOf(query.type), limit: limit + 1, audiences: audiencesOf(principal) });
      const page = rows.slice(0, limit);
      const hasMore = rows.length > limit;
      const last = page.at(-1);
      return {
        items: page.map(presentEvent),
        // As in every collection, null on the last page; a poller keeps the last id it saw (`after`).
        pagination: { cursor: hasMore && last ? String(last.id) : null, has_more: hasMore },
      };
    },

    /**
     * Follows an account's log from `after`: calls `send` for each event in order, waking on every
     * commit (and at least every `pollMs`, in case a notification was missed). Returns a stop function.
     */
    follow(
      principal: Principal,
      opts: { after: number; types?: string; pollMs?: number },
      send: (event: EventView) => void,
      isClosed: () => boolean,
    ): () => void {
      const types = typesOf(opts.types);
      const audiences = audiencesOf(principal);
      let cursor = opts.after;
      // The account's last event id as the shared poll last saw it. Every event up to it has
      // committed (events commit in id order), so once a read after `cursor` has come back short,
      // the stream is past it even when the last of them are not for this principal: a tail of
      // notes does not keep an API key's stream reading the log at every poll.
      let known = 0;
      let running = false;
      let again = false;
      let stopped = false;
      const pump = async () => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            const upTo = known;
            for (;;) {
              if (stopped || isClosed()) return;
              const rows = await events.list(principal.accountId, { after: cursor, types, limit: 200, audiences });
              for (const row of rows) {
                cursor = row.id;
                send(presentEvent(row));
              }
              if (rows.length < 200) break;
            }
            if (upTo > cursor) cursor = upTo;
          } while (again && !stopped);
        } catch {
          // A failed read (database restarting) is retried on the next wake-up or poll.
        } finally {
          running = false;
        }
      };
      const unsubscribe = eventLog.subscribe(principal.accountId, () => void pump());
      const leavePoll = joinPoll(principal.accountId, opts.pollMs ?? 5000, (latest) => {
        if (latest > cursor) {
          known = Math.max(known, latest);
          void pump();
        }
      });
      void pump();
      return () => {
        stopped = true;
        unsubscribe();
        leavePoll();
      };
    },

    /** The id the stream starts after when the client gives none: now (only new events). */
    async latestId(principal: Principal): Promise<number> {
      return events.lastId(principal.accountId);
    },
  };
}

export type EventsUseCases = ReturnType<typeof createEventsUseCases>;
