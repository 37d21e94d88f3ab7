import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import type { AuditLogTable } from '../../shared/db/schema.js';

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;

export interface AuditListQuery {
  /** A member's or an API key's id. */
  actor?: string;
  /** Exact actions, or a family ending in '.*' ('member.*'). */
  actions?: string[];
  since?: string;
  until?: string;
  /** The id of the last entry of the previous page (newest first). */
  before: number | null;
  limit: number;
}

/** The audit log's queries. Nothing here updates an entry: erasure and retention have their own. */
export function createAuditRepository({ db }: { db: Executor }) {
  return {
    async insert(row: NewAuditRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('audit_log').values(row).execute();
    },

    /** A workspace's entries, newest first, `limit + 1` of them. */
    async list(accountId: string, query: AuditListQuery, executor: Executor = db): Promise<AuditRow[]> {
      let q = executor.selectFrom('audit_log').selectAll().where('account_id', '=', accountId);
      if (query.actor !== undefined) q = q.where('actor_id', '=', query.actor);
      if (query.actions?.length) {
        const exact = query.actions.filter((a) => !a.endsWith('.*'));
        const families = query.actions.filter((a) => a.endsWith('.*')).map((a) => a.slice(0, -1));
        q = q.where((eb) =>
          eb.or([
            ...(exact.length ? [eb('action', 'in', exact)] : []),
            // A prefix compared as text: LIKE would read the `_` of conversation_state as a wildcard.
            ...families.map((prefix) => eb(sql<string>`substr(action, 1, ${prefix.length})`, '=', prefix)),
          ]),
        );
      }
      if (query.since !== undefined) q = q.where('created_at', '>=', query.since);
      if (query.until !== undefined) q = q.where('created_at', '<', query.until);
      if (query.before !== null) q = q.where('id', '<', query.before);
      return q.orderBy('id', 'desc').limit(query.limit + 1).execute();
    },

    /** The workspace of a member (for a route without a principal, such as an accepted invitation). */
    async accountOfMember(memberId: string, executor: Executor = db): Promise<string | null> {
      const row = await executor.selectFrom('members').select('account_id').where('id', '=', memberId).executeTakeFirst();
      return row?.account_id ?? null;
    },

    /** The workspace of an export (for its download link, which carries no principal). */
    async accountOfExport(exportId: string, executor: Executor = db): Promise<string | null> {
      const row = await executor.selectFrom('exports').select('account_id').where('id', '=', exportId).executeTakeFirst();
      return row?.account_id ?? null;
    },

    /** The member's email or the key's prefix, as the entry keeps it; null when it no longer exists. */
    async actorName(type: 'member' | 'api_key', accountId: string, id: string, executor: Executor = db): Promise<string | null> {
      if (type === 'member') {
        const row = await executor.selectFrom('members').select('email').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
        return row?.email ?? null;
      }
      const row = await executor.selectFrom('api_keys').select('prefix').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return row?.prefix ?? null;
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
