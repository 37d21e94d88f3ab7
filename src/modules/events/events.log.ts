import pg from 'pg';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../shared/db/database.js';
import type { DB } from '../../shared/db/schema.js';
import { nowIso } from '../../shared/time.js';
import type { EventRow, EventsRepository } from './events.repository.js';
import { audienceOf } from './audience.js';

/** Queues an event to be appended when the surrounding transaction commits. */
export type Emit = (type: string, data: Record<string, unknown>) => void;

/** Runs inside an event-producing transaction, after the events are inserted (e.g. the webhook outbox). */
export type AppendHook = (trx: Transaction<DB>, events: EventRow[]) => Promise<void>;

/** An event emitted in a transaction and not yet written. */
export interface PendingEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Runs inside an event-producing transaction before its events are written, and may complete
 * their data with what it writes itself (the channel outbox marks a message queued, so the
 * announced message already says so).
 */
export type PrepareHook = (trx: Transaction<DB>, accountId: string, events: PendingEvent[]) => Promise<void>;

type Wake = (accountId: string) => void;

/**
 * SQLite: at most this many queued writes share one transaction, so that reads waiting for the
 * one connection get their turn between batches.
 */
const MAX_BATCH = 16;

interface QueuedWrite {
  accountId: string;
  run: (trx: Transaction<DB>) => Promise<{ value: unknown; appended: boolean }>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * The spine of issue 4: state changes and the events announcing them commit together, and
 * whoever follows the log (SSE streams, webhook and automation workers) is woken after commit —
 * in this process directly, in other processes through PostgreSQL LISTEN/NOTIFY.
 */
export function createEventLog({ database, events }: { database: Database; events: EventsRepository }) {
  const hooks: AppendHook[] = [];
  const prepareHooks: PrepareHook[] = [];
  const wakers = new Map<string, Set<Wake>>();
  const everyone = new Set<Wake>();
  let listener: { stop(): Promise<void> } | null = null;
  const broadcastHandlers: Array<(payload: string) => void> = [];
  const queue: QueuedWrite[] = [];
  let draining = false;

  function wake(accountId: string): void {
    for (const fn of wakers.get(accountId) ?? []) fn(accountId);
    for (const fn of everyone) fn(accountId);
  }

  /**
   * SQLite's group commit. SQLite has one writer, and a commit (writing every changed page to the
   * WAL) was the largest single cost of a write request. So the writes queued while one runs
   * share its transaction, each inside its own savepoint: one that fails is rolled back alone and
   * rejects at once, and the others answer only after the one COMMIT, so nothing is reported
   * stored before it is. If the transaction itself is lost (SQLite rolls back everything on a full
   * disk) or the commit fails, every write of the batch fails with that error.
   */
  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const done: Array<{ write: QueuedWrite; value: unknown; appended: boolean }> = [];
        /** The write taken from the queue and not yet settled or done. */
        let current: QueuedWrite | null = null;
        let taken = 0;
        try {
          await database.db.transaction().execute(async (trx) => {
            while (queue.length > 0 && taken < MAX_BATCH) {
              const write = (current = queue.shift()!);
              taken++;
              await sql`savepoint parley_write`.execute(trx);
              let result: { value: unknown; appended: boolean };
              try {
                result = await write.run(trx);
              } catch (err) {
                current = null;
                write.reject(err);
                // Fails when SQLite has already rolled the whole transaction back: then so must the batch.
                await sql`rollback to parley_write`.execute(trx).catch(() => Promise.reject(err));
                await sql`release parley_write`.execute(trx);
                continue;
              }
              await sql`release parley_write`.execute(trx);
              done.push({ write, ...result });
              current = null;
            }
          });
        } catch (err) {
          (current as QueuedWrite | null)?.reject(err);
          for (const d of done) d.write.reject(err);
          // No transaction at all (the database is closed, or cannot begin): the writes still
          // queued would meet the same error, one batch after another; they get it now.
          if (taken === 0) for (const write of queue.splice(0)) write.reject(err);
          continue;
        }
        for (const d of done) {
          if (d.appended) wake(d.write.accountId);
          d.write.resolve(d.value);
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    /** Registers work that must commit with every batch of events (the webhook outbox). */
    addAppendHook(hook: AppendHook): void {
      hooks.push(hook);
    },

    /** Registers work that must commit with every batch of events, before they are written (the channel outbox). */
    addPrepareHook(hook: PrepareHook): void {
      prepareHooks.push(hook);
    },

    /**
     * Runs `fn` in one transaction; the events it emits are appended last, with the append hooks,
     * and announced once the transaction has committed. `source` marks events caused by an
     * automation so that automations do not trigger themselves, and names the member who acted
     * (`member:<id>`) for notifications.
     */
    async transaction<T>(
      accountId: string,
      fn: (trx: Transaction<DB>, emit: Emit) => Promise<T>,
      source: string | null = null,
    ): Promise<T> {
      const run = async (trx: Transaction<DB>) => {
        const pending: PendingEvent[] = [];
        const value = await fn(trx, (type, data) => pending.push({ type, data }));
        if (pending.length > 0) {
          for (const hook of prepareHooks) await hook(trx, accountId, pending);
          const at = nowIso();
          const rows = await events.appendAll(
            trx,
            pending.map((e) => ({
              account_id: accountId,
              type: e.type,
              data: JSON.stringify(e.data),
              source,
              created_at: at,
              audience: audienceOf(e.type, e.data),
            })),
          );
          for (const hook of hooks) await hook(trx, rows);
        }
        return { value, appended: pending.length > 0 };
      };
      if (database.dialect === 'sqlite') {
        return new Promise<T>((resolve, reject) => {
          queue.push({ accountId, run, resolve: resolve as (value: unknown) => void, reject });
          if (!draining) {
            // Started after this turn of the event loop, so that every request read from the
            // network in the same turn is queued first (SQLite statements never yield).
            draining = true;
            setImmediate(() => void drain());
          }
        });
      }
      const { value, appended } = await database.db.transaction().execute(run);
      if (appended) wake(accountId);
      return value;
    },

    /** Calls `fn` after each commit that appended events for the account; returns an unsubscribe. */
    subscribe(accountId: string, fn: Wake): () => void {
      let set = wakers.get(accountId);
      if (!set) wakers.set(accountId, (set = new Set()));
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0) wakers.delete(accountId);
      };
    },

    /** Calls `fn` after every commit that appended events, for any account (workers). */
    subscribeAll(fn: Wake): () => void {
      everyone.add(fn);
      return () => everyone.delete(fn);
    },

    /** On PostgreSQL, listens for other processes' commits; a no-op on SQLite (one process). */
    async start(): Promise<void> {
      if (database.dialect !== 'postgres' || !database.url || listener) return;
      listener = listenForEvents(database.url, wake, (payload) => {
        for (const fn of broadcastHandlers) fn(payload);
      });
    },

    /**
     * Ephemeral notices for every process (typing): PostgreSQL NOTIFY on its own channel, not
     * stored; a process receives its own too (the caller tells them apart). A no-op on SQLite.
     */
    broadcast(payload: string): void {
      if (database.dialect !== 'postgres') return;
      sql`select pg_notify('parley_signals', ${payload})`.execute(database.db).catch(() => {
        // A lost notice is a typing indicator not shown: never worth failing the request.
      });
    },

    onBroadcast(fn: (payload: string) => void): void {
      broadcastHandlers.push(fn);
    },

    async stop(): Promise<void> {
      await listener?.stop();
      listener = null;
    },
  };
}

export type EventLog = ReturnType<typeof createEventLog>;

/** A dedicated LISTEN connection that reconnects by itself after a database restart. */
function listenForEvents(url: string, wake: Wake, signal: (payload: string) => void): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (msg) => {
      if (msg.channel === 'parley_events' && msg.payload) wake(msg.payload);
      else if (msg.channel === 'parley_signals' && msg.payload) signal(msg.payload);
    });
    c.on('error', () => reconnect(delayMs));
    c.on('end', () => reconnect(delayMs));
    try {
      await c.connect();
      await c.query('LISTEN parley_events');
      await c.query('LISTEN parley_signals');
      delayMs = 250;
    } catch {
      reconnect(delayMs);
    }
  };
  const reconnect = (delayMs: number) => {
    if (stopped || retry) return;
    const old = client;
    client = null;
    old?.removeAllListeners();
    old?.end().catch(() => {});
    retry = setTimeout(() => {
      retry = null;
      void connect(Math.min(delayMs * 2, 5000));
    }, delayMs);
    retry.unref();
  };
  void connect(250);
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      c?.removeAllListeners();
      await c?.end().catch(() => {});
    },
  };
}
