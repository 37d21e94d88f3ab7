import { sql, type Insertable, type Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { MessagesTable } from '../../shared/db/schema.js';
import { prepareQuery } from '../../shared/db/prepared.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;

/** Roles the contact's side sees; system messages are internal, notes are for members. */
export const PUBLIC_ROLES = ['user', 'assistant', 'operator'] as const;
export const MEMBER_ROLES = ['user', 'assistant', 'operator', 'note'] as const;

/**
 * The visible roles and status, written into the SQL as constants rather than bound: with a bound
 * `in (?, ?, ?)` list a page query ran 15–30 µs slower on SQLite (measured with better-sqlite3).
 */
const rolesFor = (withNotes: boolean) => (withNotes ? MEMBER_ROLES : PUBLIC_ROLES).map((role) => sql.lit(role as (typeof MEMBER_ROLES)[number]));
const COMPLETED = sql.lit('completed' as const);

/** The columns a presented message reads (presentMessage); pages read only these. */
export const MESSAGE_VIEW_COLUMNS = [
  'id',
  'conversation_id',
  'role',
  'content',
  'created_at',
  'modality',
  'author_id',
  'author_type',
  'author_ref',
  'author_name',
  'context',
  'status',
  'feedback_rating',
  'feedback_comment',
  'feedback_at',
  'attachments',
  'delivery',
] as const;
export type MessageViewRow = Pick<MessageRow, (typeof MESSAGE_VIEW_COLUMNS)[number]>;
export type HistoryRow = Pick<MessageRow, 'id' | 'role' | 'content' | 'attachments'>;

export function createMessagesRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  const visibleQuery = (q: Executor, accountId: string, conversationId: string, withNotes: boolean) =>
    q
      .selectFrom('messages')
      .select(MESSAGE_VIEW_COLUMNS)
      .where('account_id', '=', accountId)
      .where('conversation_id', '=', conversationId)
      .where('role', 'in', rolesFor(withNotes))
      .where('status', '=', COMPLETED);
  // One prepared query per shape: without and with notes, first page and after a cursor.
  const visiblePage = [false, true].map((withNotes) =>
    prepareQuery(db, 3, (q, accountId: string, conversationId: string, limit: number) =>
      visibleQuery(q, accountId, conversationId, withNotes).orderBy('id', 'asc').limit(limit),
    ),
  );
  const visiblePageAfter = [false, true].map((withNotes) =>
    prepareQuery(db, 4, (q, accountId: string, conversationId: string, afterId: CursorValue, limit: number) =>
      visibleQuery(q, accountId, conversationId, withNotes)
        .where(afterKey(['id'], [afterId], 'asc'))
        .orderBy('id', 'asc')
        .limit(limit),
    ),
  );
  // A reply's context: only what the provider reads, compiled once (every reply runs it).
  const history = prepareQuery(db, 4, (q, accountId: string, conversationId: string, beforeId: number, limit: number) =>
    q
      .selectFrom('messages')
      .select(['id', 'role', 'content', 'attachments'])
      .where('account_id', '=', accountId)
      .where('conversation_id', '=', conversationId)
      .where('role', 'in', rolesFor(false))
      .where('status', '=', COMPLETED)
      .where('id', '<', beforeId)
      .orderBy('id', 'desc')
      .limit(limit),
  );
  return {
    async insert(row: NewMessageRow, executor: Executor = db): Promise<MessageRow> {
      return executor.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow();
    },

    /** Applies a change; false when the message is gone (its conversation deleted meanwhile). */
    async update(
      accountId: string,
      id: number,
      patch: Partial<NewMessageRow>,
      executor: Executor = db,
    ): Promise<boolean> {
      const res = await executor.updateTable('messages').set(patch).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async findById(accountId: string, conversationId: string, id: number, executor: Executor = db): Promise<MessageRow | undefined> {
      return executor
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** The id of the conversation's last message of `role`, or null. */
    async lastIdOf(accountId: string, conversationId: string, role: MessageRow['role'], executor: Executor = db): Promise<number | null> {
      const row = await executor
        .selectFrom('messages')
        .select('id')
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', '=', role)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? Number(row.id) : null;
    },

    /** The visible messages of a conversation, oldest first: replies only once they are complete. */
    async listVisible(
      accountId: string,
      conversationId: string,
      page: { after: CursorValue[] | null; limit: number; withNotes?: boolean },
    ): Promise<MessageViewRow[]> {
      const withNotes = page.withNotes ?? false;
      if (page.after) return visiblePageAfter[withNotes ? 1 : 0]([accountId, conversationId, page.after[0], page.limit + 1]);
      return visiblePage[withNotes ? 1 : 0]([accountId, conversationId, page.limit + 1]);
    },

    /** The last `n` visible messages of each conversation, oldest first (one query, a window function). */
    async recentFor(accountId: string, conversationIds: string[], n: number, withNotes: boolean): Promise<Map<string, MessageRow[]>> {
      const out = new Map<string, MessageRow[]>();
      if (conversationIds.length === 0) return out;
      const ranked = db
        .selectFrom('messages')
        .selectAll()
        .select((eb) => eb.fn.agg<number>('row_number').over((o) => o.partitionBy('conversation_id').orderBy('id', 'desc')).as('rn'))
        .where('account_id', '=', accountId)
        .where('conversation_id', 'in', conversationIds)
        .where('role', 'in', rolesFor(withNotes))
        .where('status', '=', COMPLETED)
        .as('ranked');
      const rows = await db.selectFrom(ranked).selectAll().where('rn', '<=', n).orderBy('id', 'asc').execute();
      for (const { rn: _rn, ...row } of rows) {
        const list = out.get(row.conversation_id) ?? [];
        list.push(row as MessageRow);
        out.set(row.conversation_id, list);
      }
      return out;
    },

    /** Every visible message of a conversation, oldest first, up to `max` (transcripts). */
    async allVisible(accountId: string, conversationId: string, max: number): Promise<MessageRow[]> {
      return db
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', 'in', rolesFor(false))
        .where('status', '=', COMPLETED)
        .orderBy('id', 'asc')
        .limit(max)
        .execute();
    },

    /**
     * Claims up to `limit` pending replies for this worker until `leaseUntil`: rows another worker
     * holds are skipped (SKIP LOCKED on PostgreSQL; SQLite has a single writer), and a lease that
     * ran out (a crashed worker) makes a row claimable again.
     */
    async claimPending(now: string, leaseUntil: string, limit: number): Promise<MessageRow[]> {
      return db.transaction().execute(async (trx) => {
        let q = trx
          .selectFrom('messages')
          .select('id')
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
          .orderBy('id')
          .limit(limit);
        if (dialect === 'postgres') q = q.forUpdate().skipLocked();
        const ids = (await q.execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        return trx
          .updateTable('messages')
          .set({ locked_until: leaseUntil })
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .returningAll()
          .execute();
      });
    },

    /** Completes a reply only if it is still unfinished; false when another worker already did. */
    async complete(
      accountId: string,
      id: number,
      patch: { content: string; sources: string; updated_at: string },
      executor: Executor = db,
    ): Promise<boolean> {
      const res = await executor
        .updateTable('messages')
        .set({ ...patch, status: 'completed', locked_until: null, error: null })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'streaming'])
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /**
     * Marks a reply failed (no text, the reason kept) only if it is still unfinished: a reply
     * another worker completed after this one's lease ran out stays completed.
     */
    async fail(accountId: string, id: number, reason: string, updatedAt: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .updateTable('messages')
        .set({ content: '', status: 'failed', error: reason.slice(0, 500), locked_until: null, updated_at: updatedAt })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'streaming'])
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** The last `limit` completed messages before `beforeId`, oldest first: the model's context. */
    async recentHistory(accountId: string, conversationId: string, beforeId: number, limit: number): Promise<HistoryRow[]> {
      return (await history([accountId, conversationId, beforeId, limit])).reverse();
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
