import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { NotificationsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationKind = NotificationsTable['kind'];
/** A notification with the title of its conversation (or its contact's name when it has none). */
export type NotificationListRow = NotificationRow & { conversation_title: string | null };

export function createNotificationsRepository({ db }: { db: Executor }) {
  /** The member's own notifications, joined with what the list shows of their conversation. */
  const listed = (accountId: string, memberId: string) =>
    db
      .selectFrom('notifications as n')
      .leftJoin('conversations as c', (j) => j.onRef('c.id', '=', 'n.conversation_id').onRef('c.account_id', '=', 'n.account_id'))
      .leftJoin('contacts as ct', (j) => j.onRef('ct.id', '=', 'c.contact_id').onRef('ct.account_id', '=', 'c.account_id'))
      .selectAll('n')
      .select((eb) => eb.fn.coalesce('c.title', 'ct.name').as('conversation_title'))
      .where('n.account_id', '=', accountId)
      .where('n.member_id', '=', memberId);

  return {
    /** Stores a notification unless the member already has one for this event and kind (at-least-once). */
    async insert(row: NotificationRow): Promise<boolean> {
      const res = await db
        .insertInto('notifications')
        .values(row)
        .onConflict((oc) => oc.columns(['member_id', 'event_id', 'kind']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /** The member's latest notification of this kind about this conversation (read or not). */
    async findLatest(accountId: string, memberId: string, kind: NotificationKind, conversationId: string): Promise<NotificationRow | undefined> {
      return db
        .selectFrom('notifications')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .where('kind', '=', kind)
        .where('conversation_id', '=', conversationId)
        .orderBy('event_id', 'desc')
        .executeTakeFirst();
    },

    /** Makes an unread notification tell of a newer event instead (it moves to the top of the list). */
    async refresh(id: string, patch: Pick<NotificationRow, 'event_id' | 'actor_name' | 'preview' | 'created_at'>): Promise<void> {
      await db.updateTable('notifications').set(patch).where('id', '=', id).where('event_id', '<', patch.event_id).execute();
    },

    /** Newest first, `limit + 1` rows after the cursor (created_at, id). */
    async list(accountId: string, memberId: string, opts: { unread: boolean; limit: number; after: CursorValue[] | null }): Promise<NotificationListRow[]> {
      let q = listed(accountId, memberId);
      if (opts.unread) q = q.where('n.read_at', 'is', null);
      if (opts.after) q = q.where(afterKey(['n.created_at', 'n.id'], opts.after, 'desc'));
      return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(opts.limit + 1).execute();
    },

    async findOwn(accountId: string, memberId: string, id: string): Promise<NotificationListRow | undefined> {
      return listed(accountId, memberId).where('n.id', '=', id).executeTakeFirst();
    },

    async unreadCount(accountId: string, memberId: string): Promise<number> {
      const row = await db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Marks the member's unread notifications read (one, those of a conversation, or all); returns how many. */
    async markRead(accountId: string, memberId: string, at: string, only: { id?: string; conversationId?: string } = {}): Promise<number> {
      let q = db
        .updateTable('notifications')
        .set({ read_at: at })
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .where('read_at', 'is', null);
      if (only.id !== undefined) q = q.where('id', '=', only.id);
      if (only.conversationId !== undefined) q = q.where('conversation_id', '=', only.conversationId);
      const res = await q.executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    // What the consumer needs to know to address and word a notification.

    /** The account's members, by id, with their names. */
    async membersOf(accountId: string): Promise<Array<{ id: string; name: string }>> {
      return db.selectFrom('members').select(['id', 'name']).where('account_id', '=', accountId).execute();
    },

    async teamMemberIds(accountId: string, teamId: string): Promise<string[]> {
      const rows = await db.selectFrom('team_members').select('member_id').where('account_id', '=', accountId).where('team_id', '=', teamId).execute();
      return rows.map((r) => r.member_id);
    },

    async agentName(accountId: string, agentId: string): Promise<string | null> {
      const row = await db.selectFrom('agents').select('name').where('account_id', '=', accountId).where('id', '=', agentId).executeTakeFirst();
      return row?.name ?? null;
    },

    async contactName(accountId: string, contactId: number): Promise<string | null> {
      const row = await db.selectFrom('contacts').select('name').where('account_id', '=', accountId).where('id', '=', contactId).executeTakeFirst();
      return row?.name ?? null;
    },
  };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
