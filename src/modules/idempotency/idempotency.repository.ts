import type { Executor } from '../../shared/db/database.js';
import type { IdempotencyKeysTable } from '../../shared/db/schema.js';

export type IdempotencyRow = IdempotencyKeysTable;

/** Who used which key: the table's primary key. */
export interface IdempotencyScope {
  accountId: string;
  /** `api_key:<id>` or `member:<id>`. */
  principal: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string | null;
}

/**
 * Idempotency records. A claim is a row `in_flight` whose `locked_until` is the holder's lease;
 * that value doubles as the holder's fencing token, so a holder whose lease was taken over can
 * neither store nor delete the new holder's row.
 */
export function createIdempotencyRepository({ db }: { db: Executor }) {
  const inScope = (s: IdempotencyScope) =>
    db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('account_id', '=', s.accountId)
      .where('principal', '=', s.principal)
      .where('key', '=', s.key);

  return {
    /** Inserts the claim; false when the scope already has a row (the primary key settles races on both dialects). */
    async claim(row: IdempotencyRow): Promise<boolean> {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'principal', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async find(scope: IdempotencyScope): Promise<IdempotencyRow | undefined> {
      return inScope(scope).executeTakeFirst();
    },

    /** Takes over a claim whose lease ran out (its process died); false when someone else was quicker. */
    async takeOver(scope: IdempotencyScope, nowIso: string, lease: string): Promise<boolean> {
      const res = await db
        .updateTable('idempotency_keys')
        .set({ locked_until: lease })
        .where('account_id', '=', scope.accountId)
        .where('principal', '=', scope.principal)
        .where('key', '=', scope.key)
        .where('status', '=', 'in_flight')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** Extends a held lease; false when it is no longer held under `current`. */
    async renew(scope: IdempotencyScope, current: string, next: string): Promise<boolean> {
      const res = await db
        .updateTable('idempotency_keys')
        .set({ locked_until: next })
        .where('account_id', '=', scope.accountId)
        .where('principal', '=', scope.principal)
        .where('key', '=', scope.key)
        .where('status', '=', 'in_flight')
        .where('locked_until', '=', current)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** Stores the response of a held claim; false when the lease was lost. */
    async complete(scope: IdempotencyScope, lease: string, response: StoredResponse): Promise<boolean> {
      const res = await db
        .updateTable('idempotency_keys')
        .set({
          status: 'done',
          response_status: response.status,
          response_body: response.body,
          response_type: response.contentType,
          locked_until: null,
        })
        .where('account_id', '=', scope.accountId)
        .where('principal', '=', scope.principal)
        .where('key', '=', scope.key)
        .where('status', '=', 'in_flight')
        .where('locked_until', '=', lease)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** Deletes a held claim, so a retry runs the request again. */
    async release(scope: IdempotencyScope, lease: string): Promise<void> {
      await db
        .deleteFrom('idempotency_keys')
        .where('account_id', '=', scope.accountId)
        .where('principal', '=', scope.principal)
        .where('key', '=', scope.key)
        .where('status', '=', 'in_flight')
        .where('locked_until', '=', lease)
        .execute();
    },

    /** Deletes one expired record, identified by its creation time so a fresh claim is never removed. */
    async removeExpired(scope: IdempotencyScope, createdAt: string): Promise<void> {
      await db
        .deleteFrom('idempotency_keys')
        .where('account_id', '=', scope.accountId)
        .where('principal', '=', scope.principal)
        .where('key', '=', scope.key)
        .where('created_at', '=', createdAt)
        .execute();
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
