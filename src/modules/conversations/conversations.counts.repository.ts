import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../shared/db/database.js';

export interface BuiltInCounts {
  open: number;
  mine: number;
  unassigned: number;
  waiting: number;
  snoozed: number;
  ended: number;
  all: number;
}

/**
 * The counts of the inbox's built-in views in one pass over the account's conversations. Each
 * condition is the one the list applies for the same view (conversations.queries.ts viewFilters),
 * so a count and its list always agree.
 */
export function createConversationCountsRepository({ db }: { db: Executor }) {
  return {
    async builtIn(accountId: string, memberId: string | null): Promise<BuiltInCounts> {
      const open = sql<SqlBool>`c.status = 'active' and c.snoozed_until is null`;
      const when = (cond: ReturnType<typeof sql<SqlBool>>) => sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;
      const row = await db
        .selectFrom('conversations as c')
        .where('c.account_id', '=', accountId)
        .select([
          when(open).as('open'),
          when(memberId === null ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${open} and c.assignee_id = ${memberId}`).as('mine'),
          when(sql<SqlBool>`${open} and c.assignee_id is null`).as('unassigned'),
          when(sql<SqlBool>`${open} and c.handoff_at is not null and c.waiting_since is not null`).as('waiting'),
          when(sql<SqlBool>`c.status = 'active' and c.snoozed_until is not null`).as('snoozed'),
          when(sql<SqlBool>`c.status = 'ended'`).as('ended'),
          sql<number>`count(*)`.as('all'),
        ])
        .executeTakeFirstOrThrow();
      return {
        open: Number(row.open),
        mine: Number(row.mine),
        unassigned: Number(row.unassigned),
        waiting: Number(row.waiting),
        snoozed: Number(row.snoozed),
        ended: Number(row.ended),
        all: Number(row.all),
      };
    },
  };
}

export type ConversationCountsRepository = ReturnType<typeof createConversationCountsRepository>;
