import { sql } from 'kysely';
import { isPostgres, type Executor } from '../../shared/db/database.js';
import { nowIso } from '../../shared/time.js';
import type { EventLog } from '../events/events.log.js';
import type { TeamsRepository } from './teams.repository.js';

/** An inbox says "online" every few minutes; a member it stopped speaking for counts as away after this. */
export const ONLINE_TTL_MS = 10 * 60_000;
/** Conversations handed out in one pass (the rest on the next). */
const BATCH = 200;

export type AssignmentReason = 'manual' | 'auto' | 'takeover';

/** The conversation as an event carries it, read in the assigning transaction. */
type Present = (accountId: string, id: string, trx: Executor) => Promise<Record<string, unknown>>;

/** Effective availability: `online` only while the member's inbox keeps saying so. */
export function availabilityOf(row: { availability: string; availability_at: string | null }, now = Date.now()): 'online' | 'away' | 'offline' {
  if (row.availability !== 'online') return row.availability === 'away' ? 'away' : 'offline';
  return row.availability_at !== null && now - Date.parse(row.availability_at) <= ONLINE_TTL_MS ? 'online' : 'away';
}

/**
 * Auto-assignment (issue 15). A team with `auto_assign` hands each conversation waiting in its
 * queue (handed to the team, in manual mode, nobody assigned), oldest first, to its online member
 * with the fewest open assigned conversations under `max_open_per_member`; ties go to whoever was
 * given one longest ago. With nobody available the conversation waits, and the next pass (when
 * someone comes online, a conversation ends or is reassigned, the team changes, or the periodic
 * sweep) serves it. Each pass runs in one transaction under an advisory lock of the account on
 * PostgreSQL, reading the queue and the open counts inside it: across processes each conversation
 * is assigned once and no member goes over capacity. SQLite has one writer anyway.
 */
export function createAssigner({ eventLog, teams, present }: { eventLog: EventLog; teams: TeamsRepository; present: Present }) {
  async function fillTeam(accountId: string, teamId: string, trx: Executor, emit: (type: string, data: Record<string, unknown>) => void): Promise<number> {
    const team = await teams.findById(accountId, teamId, trx);
    if (!team || team.auto_assign !== 1) return 0;
    const queue = await trx
      .selectFrom('conversations')
      .select('id')
      .where('account_id', '=', accountId)
      .where('team_id', '=', teamId)
      .where('team_queued_at', 'is not', null)
      .where('assignee_id', 'is', null)
      .where('status', '=', 'active')
      .where('mode', '=', 'manual')
      .orderBy('team_queued_at')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (queue.length === 0) return 0;
    const cutoff = new Date(Date.now() - ONLINE_TTL_MS).toISOString();
    const candidates = await trx
      .selectFrom('team_members as tm')
      .innerJoin('members as m', 'm.id', 'tm.member_id')
      .select(['m.id', 'm.last_assigned_at'])
      .where('tm.account_id', '=', accountId)
      .where('tm.team_id', '=', teamId)
      .where('m.availability', '=', 'online')
      .where('m.availability_at', '>=', cutoff)
      .execute();
    if (candidates.length === 0) return 0;
    const counts = await trx
      .selectFrom('conversations')
      .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('account_id', '=', accountId)
      .where('status', '=', 'active')
      .where(
        'assignee_id',
        'in',
        candidates.map((c) => c.id),
      )
      .groupBy('assignee_id')
      .execute();
    const open = new Map(counts.map((c) => [c.assignee_id!, Number(c.n)]));
    const people = candidates.map((c) => ({ id: c.id, open: open.get(c.id) ?? 0, last: c.last_assigned_at ?? '' }));
    const max = team.max_open_per_member;
    let assigned = 0;
    for (const { id } of queue) {
      const free = people.filter((p) => max === 0 || p.open < max);
      if (free.length === 0) break;
      free.sort((a, b) => a.open - b.open || (a.last < b.last ? -1 : a.last > b.last ? 1 : 0) || (a.id < b.id ? -1 : 1));
      const who = free[0];
      const now = nowIso();
      await trx
        .updateTable('conversations')
        .set({ assignee_id: who.id, team_queued_at: null, updated_at: now })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
      await trx.updateTable('members').set({ last_assigned_at: now }).where('account_id', '=', accountId).where('id', '=', who.id).execute();
      who.open++;
      who.last = now;
      emit('conversation.assigned', { conversation: await present(accountId, id, trx), assignment: { assignee_id: who.id, team_id: teamId, reason: 'auto' } });
      assigned++;
    }
    return assigned;
  }

  return {
    /** Serves the queues of these teams (of one account) now; returns how many were assigned. */
    async fill(accountId: string, teamIds: Array<string | null | undefined>): Promise<number> {
      const ids = [...new Set(teamIds.filter((id): id is string => typeof id === 'string'))];
      if (ids.length === 0) return 0;
      return eventLog.transaction(accountId, async (trx, emit) => {
        if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${`parley-assign:${accountId}`}))`.execute(trx);
        let total = 0;
        for (const id of ids.sort()) total += await fillTeam(accountId, id, trx, emit);
        return total;
      });
    },

    /** The teams of a member (their coming online can serve those queues). */
    teamsOf: (accountId: string, memberId: string) => teams.teamIdsOfMember(accountId, memberId),

    /** Every team of every account with a conversation waiting: the periodic sweep. */
    async sweep(executor: Executor): Promise<number> {
      const waiting = await executor
        .selectFrom('conversations as c')
        .innerJoin('teams as t', 't.id', 'c.team_id')
        .select(['c.account_id', 'c.team_id'])
        .distinct()
        .where('c.team_queued_at', 'is not', null)
        .where('c.assignee_id', 'is', null)
        .where('c.status', '=', 'active')
        .where('t.auto_assign', '=', 1)
        .execute();
      let total = 0;
      const byAccount = new Map<string, string[]>();
      for (const w of waiting) byAccount.set(w.account_id, [...(byAccount.get(w.account_id) ?? []), w.team_id!]);
      for (const [accountId, ids] of byAccount) total += await this.fill(accountId, ids);
      return total;
    },
  };
}

export type Assigner = ReturnType<typeof createAssigner>;
