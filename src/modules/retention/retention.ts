import type { Database } from '../../shared/db/database.js';
import type { EventLog } from '../events/events.log.js';
import type { Erasure } from '../erasure/erasure.js';
import { IDEMPOTENCY_TTL_MS } from '../idempotency/idempotency.usecases.js';
import { createRetentionRepository, type AccountRetention, type ExpiringTable, type RetentionRepository } from './retention.repository.js';

/** What one run deleted in a workspace: the data of the `retention.pruned` event. */
export interface PrunedCounts {
  conversations: number;
  events: number;
  webhook_deliveries: number;
  automation_runs: number;
  audit_log: number;
  sessions: number;
  visitor_sessions: number;
  invitations: number;
  idempotency_keys: number;
}
export type PrunedKind = keyof PrunedCounts;

/** One batch's delete: how many rows, and how long the write took (the write lock, on SQLite). */
export interface PrunedBatch {
  kind: PrunedKind;
  rows: number;
  ms: number;
}

export interface RetentionOptions {
  database: Database;
  eventLog: EventLog;
  /**
   * The erasure, which deletes ended conversations with every copy of what they held (messages,
   * files, indexes, events), and, once at the end of a run that deleted anything (even one that
   * failed part-way), checkpoints SQLite's WAL so the deleted rows' page images leave it (they are
   * overwritten in the database file as they are deleted, by `secure_delete`). Without it, ended
   * conversations are kept.
   */
  erasure?: Pick<Erasure, 'eraseConversations' | 'checkpoint'>;
  /** The write time a batch aims for; batches grow below it and shrink above it (default 10 ms). */
  targetBatchMs?: number;
  /** Told of every batch deleted (tests measure them). */
  onBatch?: (batch: PrunedBatch) => void;
}

/** Deletes a batch's rows through `on`, a repository bound to the one connection the delete is timed on. */
type Remove<K> = (keys: K[], on: RetentionRepository) => Promise<number>;

/** Asked between batches: false stops the run (its lease was lost to another process). */
export type KeepGoing = () => Promise<boolean>;

const DAY_MS = 86_400_000;
const ACCOUNTS_PER_PAGE = 200;
/** Kinds whose delete names each row in its WHERE (idempotency keys: two columns) stay small. */
const SIZES = { rows: { first: 100, min: 10, max: 500 }, conversations: { first: 5, min: 1, max: 50 }, keyed: { first: 50, min: 10, max: 200 } };

export class RetentionStopped extends Error {
  constructor() {
    super('the retention run lost its lease to another process');
  }
}

/**
 * Deletes what each workspace keeps no longer (its `retention` settings), and what expires
 * without a setting: members' and visitors' sessions, invitations not accepted in time, stored
 * answers to repeated requests (a day). In small batches: each batch reads the keys of the rows to
 * delete (no lock), then deletes them by key; the batch size adapts so that each delete — the time
 * SQLite's single writer is held — stays near `targetBatchMs` (well under 50 ms), and other
 * requests' writes go between batches. Events are never deleted while a webhook delivery still has
 * to send them, a log consumer has not read them, or an async reply queued before them is pending.
 */
export function createRetention({ database, eventLog, erasure, targetBatchMs = 10, onBatch }: RetentionOptions) {
  const repo = createRetentionRepository({ db: database.db });
  /** Set by any batch that deleted rows; the run's end checkpoints and clears it. */
  let deletedSinceCheckpoint = false;

  /** A batch size that follows how long the last delete took. */
  function batchSize({ first, min, max }: { first: number; min: number; max: number }) {
    let n = first;
    return {
      get n() {
        return n;
      },
      took(ms: number) {
        if (ms > targetBatchMs * 1.5) n = Math.max(min, Math.floor(n / 2));
        else if (ms < targetBatchMs / 2) n = Math.min(max, n * 2);
      },
    };
  }

  const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

  /**
   * Runs batches of one kind until `next` has nothing more: `next(limit)` reads up to `limit` keys
   * and returns the delete to run for them and whether more may follow.
   */
  async function drain<K>(
    kind: PrunedKind,
    sizes: { first: number; min: number; max: number },
    keepGoing: KeepGoing,
    next: (limit: number) => Promise<{ keys: K[]; remove: Remove<K>; more: boolean }>,
  ): Promise<number> {
    const size = batchSize(sizes);
    let total = 0;
    for (;;) {
      if (!(await keepGoing())) throw new RetentionStopped();
      const { keys, remove, more } = await next(size.n);
      if (keys.length === 0) return total;
      // Timed once the connection is ours: on SQLite the wait for it is other requests' turn, and
      // what is measured is the delete, the time the write lock is held.
      // (Conversations are erased in the erasure's own transaction, timed whole.)
      const timed = async (on: RetentionRepository) => {
        const started = performance.now();
        const rows = await remove(keys, on);
        return { rows, ms: performance.now() - started };
      };
      const { rows, ms } =
        kind === 'conversations' ? await timed(repo) : await database.db.connection().execute((conn) => timed(createRetentionRepository({ db: conn })));
      size.took(ms);
      onBatch?.({ kind, rows, ms });
      total += rows;
      if (rows > 0) deletedSinceCheckpoint = true;
      // Nothing deleted: the rows changed since they were read; the next run looks again.
      if (!more || rows === 0) return total;
      await yieldToOthers();
    }
  }

  /**
   * Prunes events read oldest first by id while older than `cutoff` and below `belowId`: ids
   * grow with time, so the first one too recent ends the batch, and no index on time is needed.
   */
  function byIdWhileOlder(
    read: (afterId: number, limit: number) => Promise<Array<{ id: number; created_at: string }>>,
    remove: Remove<number>,
    cutoff: string,
    belowId: number | null,
  ) {
    let afterId = 0;
    return async (limit: number) => {
      const rows = await read(afterId, limit);
      const old: number[] = [];
      for (const r of rows) {
        if (r.created_at >= cutoff || (belowId !== null && r.id >= belowId)) break;
        old.push(r.id);
      }
      if (old.length) afterId = old[old.length - 1];
      return { keys: old, remove, more: old.length === rows.length && rows.length === limit };
    };
  }

  async function pruneAccount(account: AccountRetention, now: Date, keepGoing: KeepGoing, unreadFrom: number | null): Promise<PrunedCounts> {
    const id = account.id;
    const at = now.toISOString();
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const counts: PrunedCounts = {
      conversations: 0,
      events: 0,
      webhook_deliveries: 0,
      automation_runs: 0,
      audit_log: 0,
      sessions: 0,
      visitor_sessions: 0,
      invitations: 0,
      idempotency_keys: 0,
    };
    const simple = (read: (limit: number) => Promise<string[]>, remove: Remove<string>) => async (limit: number) => {
      const keys = await read(limit);
      return { keys, remove, more: keys.length === limit };
    };

    if (account.retention_ended_conversations_days !== null && erasure) {
      const cutoff = before(account.retention_ended_conversations_days);
      counts.conversations = await drain(
        'conversations',
        SIZES.conversations,
        keepGoing,
        simple(
          (limit) => repo.endedConversations(id, cutoff, limit),
          (ids) => erasure.eraseConversations(id, ids, 'retention'),
        ),
      );
    }
    if (account.retention_events_days !== null) {
      const undelivered = await repo.undeliveredFrom(id);
      const keepFrom = undelivered === null ? unreadFrom : unreadFrom === null ? undelivered : Math.min(undelivered, unreadFrom);
      const pending = await repo.oldestPendingReply(id);
      let cutoff = before(account.retention_events_days);
      if (pending !== null && pending < cutoff) cutoff = pending;
      counts.events = await drain(
        'events',
        SIZES.rows,
        keepGoing,
        byIdWhileOlder(
          (afterId, limit) => repo.oldestEvents(id, afterId, limit),
          (ids, on) => on.deleteEvents(id, ids, cutoff),
          cutoff,
          keepFrom,
        ),
      );
    }
    if (account.retention_webhook_deliveries_days !== null) {
      const cutoff = before(account.retention_webhook_deliveries_days);
      counts.webhook_deliveries = await drain(
        'webhook_deliveries',
        SIZES.rows,
        keepGoing,
        simple(
          (limit) => repo.finishedDeliveries(id, cutoff, limit),
          (ids, on) => on.deleteDeliveries(id, ids),
        ),
      );
    }
    if (account.retention_automation_runs_days !== null) {
      const cutoff = before(account.retention_automation_runs_days);
      counts.automation_runs = await drain(
        'automation_runs',
        SIZES.rows,
        keepGoing,
        simple(
          (limit) => repo.oldAutomationRuns(id, cutoff, limit),
          (ids, on) => on.deleteAutomationRuns(id, ids),
        ),
      );
    }
    if (account.retention_audit_log_days !== null) {
      counts.audit_log = await pruneAudit(id, before(account.retention_audit_log_days), keepGoing);
    }
    const expiring: Array<[PrunedKind, ExpiringTable]> = [
      ['sessions', 'sessions'],
      ['visitor_sessions', 'visitor_sessions'],
      ['invitations', 'member_invitations'],
    ];
    for (const [kind, table] of expiring) {
      counts[kind] = await drain(
        kind,
        SIZES.rows,
        keepGoing,
        simple(
          (limit) => repo.expired(table, id, at, limit),
          (ids, on) => on.deleteExpired(table, id, ids, at),
        ),
      );
    }
    const idempotencyCutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
    type Key = { principal: string; key: string };
    counts.idempotency_keys = await drain<Key>('idempotency_keys', SIZES.keyed, keepGoing, async (limit) => {
      const keys = await repo.expiredIdempotencyRecords(id, idempotencyCutoff, at, limit);
      return { keys, remove: (k, on) => on.deleteIdempotencyRecords(id, k, idempotencyCutoff, at), more: keys.length === limit };
    });
    return counts;
  }

  function pruneAudit(accountId: string | null, cutoff: string, keepGoing: KeepGoing): Promise<number> {
    return drain<number>('audit_log', SIZES.rows, keepGoing, async (limit) => {
      const keys = await repo.oldAuditEntries(accountId, cutoff, limit);
      return { keys, remove: (ids, on) => on.deleteAuditEntries(accountId, ids), more: keys.length === limit };
    });
  }

  return {
    /**
     * Prunes every workspace as of `now`; each workspace where anything was deleted gets one
     * `retention.pruned` event with the counts. Returns how many rows were deleted in all.
     */
    async pruneAll(now: Date = new Date(), keepGoing: KeepGoing = async () => true): Promise<number> {
      // Read once per run: the log's consumers have not read the events from here on.
      const unreadFrom = await repo.unreadByConsumersFrom();
      let total = 0;
      let afterId: string | null = null;
      try {
        for (;;) {
          const page = await repo.listAccounts(afterId, ACCOUNTS_PER_PAGE);
          for (const account of page) {
            const counts = await pruneAccount(account, now, keepGoing, unreadFrom);
            const sum = Object.values(counts).reduce((a, b) => a + b, 0);
            if (sum > 0) await eventLog.transaction(account.id, async (_trx, emit) => emit('retention.pruned', { counts }));
            total += sum;
          }
          if (page.length < ACCOUNTS_PER_PAGE) break;
          afterId = page[page.length - 1].id;
        }
        // A failed sign-in with an email no member has is of no workspace: kept the default year.
        total += await pruneAudit(null, new Date(now.getTime() - DEFAULT_AUDIT_LOG_DAYS * DAY_MS).toISOString(), keepGoing);
        return total;
      } finally {
        if (deletedSinceCheckpoint) {
          deletedSinceCheckpoint = false;
          await erasure?.checkpoint();
        }
      }
    },
  };
}

/** How long audit entries are kept when a workspace has not said (and entries of no workspace). */
export const DEFAULT_AUDIT_LOG_DAYS = 365;

export type Retention = ReturnType<typeof createRetention>;
