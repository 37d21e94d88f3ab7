import { sql, type Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { EventsTable } from '../../shared/db/schema.js';
import { prepareQuery } from '../../shared/db/prepared.js';

export type EventRow = Selectable<EventsTable>;

/** The advisory lock key that orders event commits on PostgreSQL ("parley events"). */
const EVENT_LOG_LOCK = 0x7061726c;

export function createEventsRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  // Nearly every write appends exactly one event: that insert is built and compiled once.
  const appendOne = prepareQuery(
    db,
    6,
    (q, account_id: string, type: string, data: string, source: string | null, created_at: string, audience: string | null) =>
      q.insertInto('events').values({ account_id, type, data, source, created_at, audience }).returningAll(),
  );
  return {
    /**
     * Appends events as the last step of the caller's transaction. On PostgreSQL the transaction
     * first takes an advisory lock held until commit, so events commit in id order and a reader
     * paging by id never passes an event that commits later with a lower id. (The lock is taken
     * after every other write of the transaction, so it cannot deadlock with row locks.) SQLite has
     * one writer at a time, which gives the same order.
     */
    async appendAll(
      trx: Executor,
      rows: Array<{ account_id: string; type: string; data: string; source: string | null; created_at: string; audience: string | null }>,
    ): Promise<EventRow[]> {
      if (rows.length === 0) return [];
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`.execute(trx);
      const [one] = rows;
      const inserted =
        rows.length === 1
          ? await appendOne([one.account_id, one.type, one.data, one.source, one.created_at, one.audience], trx)
          : await trx.insertInto('events').values(rows).returningAll().execute();
      if (dialect === 'postgres') {
        // Delivered to every LISTENing process when (and only if) the transaction commits.
        for (const accountId of new Set(rows.map((r) => r.account_id))) {
          await sql`select pg_notify('parley_events', ${accountId})`.execute(trx);
        }
      }
      return inserted.sort((a, b) => a.id - b.id);
    },

    /** The account's events after `after` that are for everyone or for one of `audiences`. */
    async list(accountId: string, opts: { after: number; types?: string[]; limit: number; audiences: string[] }): Promise<EventRow[]> {
      let q = db
        .selectFrom('events')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '>', opts.after)
        .where((eb) =>
          opts.audiences.length > 0 ? eb.or([eb('audience', 'is', null), eb('audience', 'in', opts.audiences)]) : eb('audience', 'is', null),
        );
      if (opts.types && opts.types.length > 0) q = q.where('type', 'in', opts.types);
      return q.orderBy('id', 'asc').limit(opts.limit).execute();
    },

    /** Events of every account after `after`, oldest first: for log consumers (automations). */
    async listAll(after: number, limit: number): Promise<EventRow[]> {
      return db.selectFrom('events').selectAll().where('id', '>', after).orderBy('id', 'asc').limit(limit).execute();
    },

    async lastId(accountId: string): Promise<number> {
      const row = await db
        .selectFrom('events')
        .select((eb) => eb.fn.max('id').as('max'))
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(row?.max ?? 0);
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
