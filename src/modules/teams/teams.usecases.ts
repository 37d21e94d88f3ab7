import { requireAdminOrKey } from '../../shared/auth/guards.js';
import type { Principal } from '../../shared/auth/principal.js';
import type { Database, Executor } from '../../shared/db/database.js';
import { isUniqueViolation } from '../../shared/db/db-errors.js';
import { conflict, notFound, unprocessable } from '../../shared/errors/errors.js';
import { cleanName } from '../../shared/http/names.js';
import { uuidv7 } from '../../shared/ids.js';
import { decodeCursor, toPage } from '../../shared/pagination/pagination.js';
import { nowIso } from '../../shared/time.js';
import type { Assigner } from './teams.assignment.js';
import type { TeamRow, TeamsRepository } from './teams.repository.js';

export interface TeamInput {
  name?: string;
  member_ids?: string[];
  auto_assign?: boolean;
  max_open_per_member?: number;
}

export function presentTeam(row: TeamRow, memberIds: string[]) {
  return {
    id: row.id,
    name: row.name,
    member_ids: memberIds,
    auto_assign: row.auto_assign === 1,
    max_open_per_member: row.max_open_per_member,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type TeamView = ReturnType<typeof presentTeam>;

const nameTaken = (name: string) => conflict(`A team named "${name}" already exists`, { name: ['is already taken in this workspace'] });

/**
 * Teams (issue 15): admins and API keys manage them, anyone of the account reads them. A change
 * that can let the team's queue move (auto-assignment on, more room, new members) serves it at once.
 */
export function createTeamsUseCases({ database, teams, assigner }: { database: Database; teams: TeamsRepository; assigner: Assigner }) {
  async function checkMembers(accountId: string, ids: string[] | undefined, trx: Executor): Promise<void> {
    if (!ids || ids.length === 0) return;
    const known = await teams.existingMembers(accountId, ids, trx);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw unprocessable('member_ids names members that are not in this workspace', { member_ids: unknown.map((id) => `${id} is not a member`) });
  }

  async function withName<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(name);
      throw e;
    }
  }

  async function view(accountId: string, row: TeamRow): Promise<TeamView> {
    return presentTeam(row, (await teams.memberIdsOf(accountId, [row.id])).get(row.id) ?? []);
  }

  return {
    async list(principal: Principal, query: { cursor?: string; limit?: number }) {
      const limit = query.limit ?? 20;
      const after = decodeCursor(query.cursor, ['string', 'string']);
      const rows = await teams.list(principal.accountId, { after, limit });
      const page = toPage(rows, limit, (r) => [r.created_at, r.id], (r) => r);
      const members = await teams.memberIdsOf(principal.accountId, page.items.map((r) => r.id));
      return { items: page.items.map((r) => presentTeam(r, members.get(r.id) ?? [])), pagination: page.pagination };
    },

    async get(principal: Principal, id: string): Promise<TeamView> {
      const row = await teams.findById(principal.accountId, id);
      if (!row) throw notFound('team');
      return view(principal.accountId, row);
    },

    async create(principal: Principal, input: TeamInput & { name: string }): Promise<TeamView> {
      requireAdminOrKey(principal);
      const now = nowIso();
      const row: TeamRow = {
        id: uuidv7(),
        account_id: principal.accountId,
        name: cleanName(input.name),
        auto_assign: input.auto_assign ? 1 : 0,
        max_open_per_member: input.max_open_per_member ?? 0,
        created_at: now,
        updated_at: now,
      };
      await withName(row.name, () =>
        database.db.transaction().execute(async (trx) => {
          await checkMembers(principal.accountId, input.member_ids, trx);
          await teams.insert(row, trx);
          await teams.setMembers(principal.accountId, row.id, input.member_ids ?? [], trx);
        }),
      );
      return view(principal.accountId, row);
    },

    async update(principal: Principal, id: string, input: TeamInput): Promise<TeamView> {
      requireAdminOrKey(principal);
      const name = input.name === undefined ? undefined : cleanName(input.name);
      const row = await withName(name ?? '', () =>
        database.db.transaction().execute(async (trx) => {
          const current = await teams.findById(principal.accountId, id, trx);
          if (!current) throw notFound('team');
          await checkMembers(principal.accountId, input.member_ids, trx);
          const patch: Partial<TeamRow> = {};
          if (name !== undefined && name !== current.name) patch.name = name;
          if (input.auto_assign !== undefined && (input.auto_assign ? 1 : 0) !== current.auto_assign) patch.auto_assign = input.auto_assign ? 1 : 0;
          if (input.max_open_per_member !== undefined && input.max_open_per_member !== current.max_open_per_member) {
            patch.max_open_per_member = input.max_open_per_member;
          }
          if (input.member_ids !== undefined) await teams.setMembers(principal.accountId, id, input.member_ids, trx);
          if (Object.keys(patch).length === 0 && input.member_ids === undefined) return current;
          return (await teams.update(principal.accountId, id, { ...patch, updated_at: nowIso() }, trx)) ?? current;
        }),
      );
      await assigner.fill(principal.accountId, [id]);
      return view(principal.accountId, row);
    },

    /** Deletes a team: its conversations, channels and agents keep going without one. */
    async delete(principal: Principal, id: string): Promise<void> {
      requireAdminOrKey(principal);
      await database.db.transaction().execute(async (trx) => {
        if (!(await teams.delete(principal.accountId, id, trx))) throw notFound('team');
        await trx.updateTable('conversations').set({ team_id: null, team_queued_at: null }).where('account_id', '=', principal.accountId).where('team_id', '=', id).execute();
        await trx.updateTable('channels').set({ default_team_id: null }).where('account_id', '=', principal.accountId).where('default_team_id', '=', id).execute();
        await trx.updateTable('agents').set({ default_team_id: null }).where('account_id', '=', principal.accountId).where('default_team_id', '=', id).execute();
      });
    },
  };
}

export type TeamsUseCases = ReturnType<typeof createTeamsUseCases>;
