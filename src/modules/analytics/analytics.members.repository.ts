import { sql } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import type { AnalyticsScope } from './analytics.repository.js';

/**
 * One conversation a member handled in the range (see `handledConversations`), with what the
 * per-member figures need about it. A conversation handled by two members is two rows.
 */
export interface HandledConversation {
  conversation_id: string;
  member_id: string;
  created_at: string;
  ended_at: string | null;
  status: 'active' | 'ended';
  csat_rating: number | null;
  /** When a person was first needed: the handoff, or else the contact's first message. */
  needed_at: string | null;
  /** The first operator reply at or after `needed_at`, and the member who wrote it. */
  first_reply_at: string | null;
  first_reply_by: string | null;
}

export interface Roster {
  members: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  teamMembers: Array<{ team_id: string; member_id: string }>;
}

/**
 * The queries behind `GET /analytics?group_by=member`. Medians are taken in JS over these rows
 * (one per conversation and member handled in the range) because SQLite has no median and
 * PostgreSQL's `percentile_cont` would give the two dialects different code paths.
 */
export function createMemberAnalyticsQueries({ db, dialect }: { db: Executor; dialect: DialectName }) {
  const pg = dialect === 'postgres';
  const eventConversationId = pg ? sql`(e.data -> 'conversation' ->> 'id')` : sql`json_extract(e.data, '$.conversation.id')`;
  const eventAssignee = pg
    ? sql`(e.data -> 'assignment' ->> 'assignee_id')`
    : sql`json_extract(e.data, '$.assignment.assignee_id')`;

  return {
    /**
     * Conversations handled in the range: a member handled one when they wrote an operator reply
     * in it, or were assigned it (a `conversation.assigned` event naming them), in the range.
     */
    async handledConversations(s: AnalyticsScope): Promise<HandledConversation[]> {
      const agent = s.agentId === undefined ? sql`` : sql`and c.agent_id = ${s.agentId}`;
      const { rows } = await sql<HandledConversation>`
        with handled as (
          select m.conversation_id as conversation_id, m.author_id as member_id
          from messages m
          where m.account_id = ${s.accountId} and m.role = 'operator' and m.author_id is not null
            and m.created_at >= ${s.from} and m.created_at < ${s.to}
          union
          select ${eventConversationId} as conversation_id, ${eventAssignee} as member_id
          from events e
          where e.account_id = ${s.accountId} and e.type = 'conversation.assigned'
            and e.created_at >= ${s.from} and e.created_at < ${s.to}
            and ${eventAssignee} is not null
        ),
        needed as (
          select c.id, c.account_id, c.created_at, c.ended_at, c.status, c.csat_rating,
            coalesce(c.handoff_at,
              (select min(u.created_at) from messages u
               where u.account_id = c.account_id and u.conversation_id = c.id and u.role = 'user')) as needed_at
          from conversations c
          where c.account_id = ${s.accountId} ${agent}
            and c.id in (select conversation_id from handled)
        )
        select h.conversation_id, h.member_id, n.created_at, n.ended_at, n.status, n.csat_rating, n.needed_at,
          (select min(r.created_at) from messages r
           where r.account_id = n.account_id and r.conversation_id = n.id and r.role = 'operator'
             and r.created_at >= n.needed_at) as first_reply_at,
          (select r.author_id from messages r
           where r.account_id = n.account_id and r.conversation_id = n.id and r.role = 'operator'
             and r.created_at >= n.needed_at
           order by r.created_at, r.id limit 1) as first_reply_by
        from handled h
        join needed n on n.id = h.conversation_id`.execute(db);
      return rows;
    },

    /** Every member and team of the account, and who is in which team: those with nothing are listed too. */
    async roster(accountId: string): Promise<Roster> {
      const [members, teams, teamMembers] = await Promise.all([
        db.selectFrom('members').select(['id', 'name']).where('account_id', '=', accountId).orderBy('name').orderBy('id').execute(),
        db.selectFrom('teams').select(['id', 'name']).where('account_id', '=', accountId).orderBy('name').orderBy('id').execute(),
        db.selectFrom('team_members').select(['team_id', 'member_id']).where('account_id', '=', accountId).execute(),
      ]);
      return { members, teams, teamMembers };
    },
  };
}
