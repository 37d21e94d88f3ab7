import type { Insertable, Selectable } from 'kysely';
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
    async insert(row: Insertable<ChannelsTable>, executor: Executor = db): Promise<void> {
      await executor.insertInto('channels').values(row).execute();
    },

    findById: rows.findById,

    /** A channel by its published key, in any account: the key is what a widget's page names. */
    async findByPublicKey(publicKey: string): Promise<ChannelRow | undefined> {
      return db.selectFrom('channels').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
    },
    /** The demo page's channel: the first workspace's oldest active web_widget channel. */
    async demoWidget(): Promise<ChannelRow | undefined> {
      return db
        .selectFrom('channels as c')
        .innerJoin('accounts as a', 'a.id', 'c.account_id')
        .selectAll('c')
        .where('c.type', '=', 'web_widget')
        .where('c.active', '=', 1)
        .where('c.public_key', 'is not', null)
        .where('a.id', '=', (eb) => eb.selectFrom('accounts').select('id').orderBy('created_at').orderBy('id').limit(1))
        .orderBy('c.created_at')
        .orderBy('c.id')
        .executeTakeFirst();
    },
    findShared: rows.findShared,

    /**
     * Records whether the channel just worked: `error` null marks it connected (the last error and
     * its time are kept for admins), a message marks it failing.
     */
    async recordStatus(accountId: string, id: string, error: string | null, at: string, executor: Executor = db): Promise<void> {
      await executor
        .updateTable('channels')
        .set(error === null ? { status_state: 'connected', status_checked_at: at } : { status_state: 'failing', status_error: error, status_error_at: at, status_checked_at: at })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    },
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
