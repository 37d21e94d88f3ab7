import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { ChannelsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type ChannelRow = Selectable<ChannelsTable>;

export interface ChannelFilters {
  type?: ChannelsTable['type'];
  active?: boolean;
}

export function createChannelsRepository({ db }: { db: Executor }) {
  return {
    async insert(row: ChannelRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('channels').values(row).execute();
    },

    async findById(accountId: string, id: string, executor: Executor = db): Promise<ChannelRow | undefined> {
      return executor
        .selectFrom('channels')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Channels oldest first, so a page boundary never moves when channels are added. */
    async list(
      accountId: string,
      filters: ChannelFilters,
      page: { after: CursorValue[] | null; limit: number },
    ): Promise<ChannelRow[]> {
      let q = db.selectFrom('channels').selectAll().where('account_id', '=', accountId);
      if (filters.type !== undefined) q = q.where('type', '=', filters.type);
      if (filters.active !== undefined) q = q.where('active', '=', filters.active ? 1 : 0);
      if (page.after) q = q.where(afterKey(['created_at', 'id'], page.after, 'asc'));
      return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit + 1).execute();
    },

    /** Applies a change and returns the stored row, or undefined when the channel is gone. */
    async update(
      accountId: string,
      id: string,
      patch: Partial<Omit<ChannelRow, 'id' | 'account_id' | 'created_at'>>,
      executor: Executor = db,
    ): Promise<ChannelRow | undefined> {
      return executor
        .updateTable('channels')
        .set(patch)
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },

    /** Deletes a channel; false when there was none. */
    async delete(accountId: string, id: string, executor: Executor = db): Promise<boolean> {
      const res = await executor
        .deleteFrom('channels')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

  };
}

export type ChannelsRepository = ReturnType<typeof createChannelsRepository>;
