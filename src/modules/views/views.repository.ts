import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { SavedViewsTable } from '../../shared/db/schema.js';

export type SavedViewRow = Selectable<SavedViewsTable>;

/** Saved views (issue 16): named filter sets, personal to a member or shared with the workspace. */
export function createViewsRepository({ db }: { db: Executor }) {
  return {
    /** A member's own views and every shared one of the account, by name. */
    async visibleTo(accountId: string, memberId: string): Promise<SavedViewRow[]> {
      return db
        .selectFrom('saved_views')
        .selectAll()
        .where('account_id', '=', accountId)
        .where((eb) => eb.or([eb('scope', '=', 'shared'), eb('member_id', '=', memberId)]))
        .orderBy('name')
        .orderBy('id')
        .execute();
    },

    async findById(accountId: string, id: string): Promise<SavedViewRow | undefined> {
      return db.selectFrom('saved_views').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    },

    async countOwnedBy(accountId: string, memberId: string): Promise<number> {
      const row = await db
        .selectFrom('saved_views')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async insert(row: SavedViewRow): Promise<void> {
      await db.insertInto('saved_views').values(row).execute();
    },

    async update(accountId: string, id: string, patch: Partial<Pick<SavedViewRow, 'name' | 'scope' | 'filters' | 'updated_at'>>): Promise<void> {
      await db.updateTable('saved_views').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    async delete(accountId: string, id: string): Promise<void> {
      await db.deleteFrom('saved_views').where('account_id', '=', accountId).where('id', '=', id).execute();
    },
  };
}

export type ViewsRepository = ReturnType<typeof createViewsRepository>;
