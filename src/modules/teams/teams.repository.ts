import type { Selectable } from 'kysely';
import type { Executor } from '../../shared/db/database.js';
import { accountRows } from '../../shared/db/account-rows.js';
import type { TeamsTable } from '../../shared/db/schema.js';
import type { CursorValue } from '../../shared/pagination/pagination.js';
import { unprocessable } from '../../shared/errors/errors.js';

export type TeamRow = Selectable<TeamsTable>;

/** A team named as a default (a channel's, an agent's) must be one of the account's: 422 otherwise. */
export async function assertTeamOf(accountId: string, teamId: string | null | undefined, trx: Executor): Promise<void> {
  if (teamId === undefined || teamId === null) return;
  const team = await trx.selectFrom('teams').select('id').where('account_id', '=', accountId).where('id', '=', teamId).executeTakeFirst();
  if (!team) throw unprocessable('default_team_id does not name a team of this account', { default_team_id: ['does not exist in this account'] });
}

export function createTeamsRepository({ db }: { db: Executor }) {
  const rows = accountRows(db, 'teams');
  return {
    /** Throws a unique violation when the name is taken in the account. */
    async insert(row: TeamRow, executor: Executor = db): Promise<void> {
      await executor.insertInto('teams').values(row).execute();
    },
    findById: rows.findById,
    findShared: rows.findShared,
    list: (accountId: string, page: { after: CursorValue[] | null; limit: number }) => rows.list(accountId, page),
    updateLocked: rows.updateLocked,
    update: rows.update,
    delete: rows.delete,

    /** The members of each team, oldest membership first is not kept: by member id. */
    async memberIdsOf(accountId: string, teamIds: string[], executor: Executor = db): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>(teamIds.map((id) => [id, []]));
      if (teamIds.length === 0) return out;
      const found = await executor
        .selectFrom('team_members')
        .select(['team_id', 'member_id'])
        .where('account_id', '=', accountId)
        .where('team_id', 'in', teamIds)
        .orderBy('team_id')
        .orderBy('member_id')
        .execute();
      for (const r of found) out.get(r.team_id)?.push(r.member_id);
      return out;
    },

    /** Replaces the team's members. */
    async setMembers(accountId: string, teamId: string, memberIds: string[], executor: Executor): Promise<void> {
      await executor.deleteFrom('team_members').where('account_id', '=', accountId).where('team_id', '=', teamId).execute();
      if (memberIds.length > 0) {
        await executor
          .insertInto('team_members')
          .values(memberIds.map((member_id) => ({ account_id: accountId, team_id: teamId, member_id })))
          .execute();
      }
    },

    /** The teams a member belongs to. */
    async teamIdsOfMember(accountId: string, memberId: string, executor: Executor = db): Promise<string[]> {
      const found = await executor
        .selectFrom('team_members')
        .select('team_id')
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .execute();
      return found.map((r) => r.team_id);
    },

    /** Which of `ids` are members of the account. */
    async existingMembers(accountId: string, ids: string[], executor: Executor = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const found = await executor.selectFrom('members').select('id').where('account_id', '=', accountId).where('id', 'in', ids).execute();
      return new Set(found.map((r) => r.id));
    },
  };
}

export type TeamsRepository = ReturnType<typeof createTeamsRepository>;
