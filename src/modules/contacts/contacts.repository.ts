import type { Insertable, Selectable } from 'kysely';
import { containsText } from '../../shared/db/like.js';
import { isPostgres, type DialectName, type Executor } from '../../shared/db/database.js';
import { prepareQuery } from '../../shared/db/prepared.js';
import type { ContactsTable } from '../../shared/db/schema.js';
import { afterKey, type CursorValue } from '../../shared/pagination/pagination.js';

export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;

/** Every column a new contact is written with, in one order: the insert is compiled once. */
const INSERT_COLUMNS = [
  'account_id',
  'email',
  'name',
  'first_name',
  'last_name',
  'phone',
  'avatar_url',
  'organization_name',
  'external_id',
  'metadata',
  'created_at',
  'updated_at',
] as const;
type InsertValues = { [K in (typeof INSERT_COLUMNS)[number]]: NewContactRow[K] };

export function createContactsRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  // Find-or-create's first statement, built and compiled once (Kysely's builder was ~5 % of the call).
  const insertIgnoringEmail = prepareQuery(db, INSERT_COLUMNS.length, (q, ...values: unknown[]) =>
    q
      .insertInto('contacts')
      .values(Object.fromEntries(INSERT_COLUMNS.map((c, i) => [c, values[i]])) as InsertValues)
      .onConflict((oc) => oc.columns(['account_id', 'email']).doNothing())
      .returningAll(),
  );
  const byId = (accountId: string, id: number, executor: Executor) =>
    executor.selectFrom('contacts').selectAll().where('account_id', '=', accountId).where('id', '=', id);
  return {
    async findById(accountId: string, id: number, executor: Executor = db): Promise<ContactRow | undefined> {
      return byId(accountId, id, executor).executeTakeFirst();
    },

    /** The contact, kept from being deleted until `trx` ends (as account rows' `findShared`). */
    async findShared(accountId: string, id: number, trx: Executor): Promise<ContactRow | undefined> {
      const q = byId(accountId, id, trx);
      return (isPostgres(trx) ? q.forKeyShare() : q).executeTakeFirst();
    },

    /** Reads a contact for a read-modify-write inside a transaction (row-locked on PostgreSQL). */
    async findForUpdate(
      accountId: string,
      by: { id: number } | { email: string },
      executor: Executor,
    ): Promise<ContactRow | undefined> {
      let q = executor.selectFrom('contacts').selectAll().where('account_id', '=', accountId);
      q = 'id' in by ? q.where('id', '=', by.id) : q.where('email', '=', by.email);
      if (dialect === 'postgres') q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** The oldest contact with this external id (the business's own user id), locked for the write. */
    async findByExternalId(accountId: string, externalId: string, executor: Executor): Promise<ContactRow | undefined> {
      let q = executor
        .selectFrom('contacts')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('external_id', '=', externalId)
        .orderBy('id')
        .limit(1);
      if (dialect === 'postgres') q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** Inserts unless the email is taken in the account; returns the new row or undefined. */
    async insertIfAbsent(row: NewContactRow, executor: Executor = db): Promise<ContactRow | undefined> {
      const rows = await insertIgnoringEmail(
        INSERT_COLUMNS.map((c) => row[c] ?? null),
        executor,
      );
      return rows[0];
    },

    async update(accountId: string, id: number, patch: Partial<NewContactRow>, executor: Executor = db): Promise<void> {
      await executor.updateTable('contacts').set(patch).where('account_id', '=', accountId).where('id', '=', id).execute();
    },

    /** Contacts newest first. */
    async list(
      accountId: string,
      opts: { email?: string; q?: string; after: CursorValue[] | null; limit: number },
    ): Promise<ContactRow[]> {
      let q = db.selectFrom('contacts').selectAll().where('account_id', '=', accountId);
      if (opts.email !== undefined) q = q.where('email', '=', opts.email);
      if (opts.q !== undefined) {
        const like = containsText(dialect, opts.q);
        q = q.where((eb) =>
          eb.or(['name', 'email', 'phone', 'first_name', 'last_name', 'organization_name', 'external_id'].map(like)),
        );
      }
      if (opts.after) q = q.where(afterKey(['id'], opts.after, 'desc'));
      return q.orderBy('id', 'desc').limit(opts.limit + 1).execute();
    },
  };
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
