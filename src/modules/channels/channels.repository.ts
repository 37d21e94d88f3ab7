import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { ChannelsTable } from '../../shared/db/schema.js';
import { accountRows } from '../../shared/db/account-rows.js';
import type { CursorValue } from '../../shared/pagination/pagination.js';

export type ChannelRow = Selectable<ChannelsTable>;

export interface ChannelFilters {
  type?: ChannelsTable['type'];
  active?: boolean;
}

export function createChannelsRepository({ db }: { db: Executor }) {
  const rows = accountRows(db, 'channels');
  return {
    async insert(row: ChannelRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('channels').values(row).execute();
    },

    findById: rows.findById,

    /** A channel by its published key, in any account: the key is what a widget's page names. */
    async findByPublicKey(publicKey: string): Promise<ChannelRow | undefined> {
      return db.selectFrom('channels').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
    },
    findShared: rows.findShared,
    updateLocked: rows.updateLocked,
    update: rows.update,
    delete: rows.delete,

    /** Channels oldest first, so a page boundary never moves when channels are added. */
    list(accountId: string, filters: ChannelFilters, page: { after: CursorValue[] | null; limit: number }): Promise<ChannelRow[]> {
      const active = filters.active === undefined ? undefined : filters.active ? 1 : 0;
      return rows.list(accountId, page, { type: filters.type, active });
    },
  };
}

export type ChannelsRepository = ReturnType<typeof createChannelsRepository>;
