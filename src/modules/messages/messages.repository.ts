import type { Insertable, Selectable } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { MessagesTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;

/** Roles the contact's side sees; system messages are internal, notes are for members. */
export const PUBLIC_ROLES = ['user', 'assistant', 'operator'] as const;
export const MEMBER_ROLES = ['user', 'assistant', 'operator', 'note'] as const;

const rolesFor = (withNotes: boolean) => (withNotes ? [...MEMBER_ROLES] : [...PUBLIC_ROLES]);

export function createMessagesRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  return {
    async insert(row: NewMessageRow, executor: Executor = db): Promise<MessageRow> {
      return executor.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow();
    },

    async update(
      accountId: string,
      id: number,
      patch: Partial<NewMessageRow>,
      executor: Executor = db,
    ): Promise<void> {
      await executor.updateTable('messages').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
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

    /** The visible messages of a conversation, oldest first: replies only once they are complete. */
    async listVisible(
      accountId: string,
      conversationId: string,
      page: { after: CursorValue[] | null; limit: number; withNotes?: boolean },
    ): Promise<MessageRow[]> {
      let q = db
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', 'in', rolesFor(page.withNotes ?? false))
        .where('status', '=', 'completed');
      if (page.after) q = q.where(afterKey(['id'], page.after, 'asc'));
      return q.orderBy('id', 'asc').limit(page.limit + 1).execute();
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
        .where('status', '=', 'completed')
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
        .where('role', 'in', [...PUBLIC_ROLES])
        .where('status', '=', 'completed')
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

    /** The last `limit` completed messages before `beforeId`, oldest first: the model's context. */
    async recentHistory(accountId: string, conversationId: string, beforeId: number, limit: number): Promise<MessageRow[]> {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('conversation_id', '=', conversationId)
        .where('role', 'in', [...PUBLIC_ROLES])
        .where('status', '=', 'completed')
        .where('id', '<', beforeId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse();
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
