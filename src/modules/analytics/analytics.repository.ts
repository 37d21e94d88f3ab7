import { sql, type RawBuilder } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import { createMemberAnalyticsQueries } from './analytics.members.repository.js';

/** One account's (optionally one agent's) activity in [from, to). */
export interface AnalyticsScope {
  accountId: string;
  agentId?: string;
  /** ISO-8601 UTC, inclusive. */
  from: string;
  /** ISO-8601 UTC, exclusive. */
  to: string;
}

export interface StartedBucket {
  bucket: number;
  started: number;
  score_sum: number | null;
  scored: number;
}
export interface MessageBucket {
  bucket: number;
  role: 'user' | 'assistant' | 'operator' | 'note';
  n: number;
}
/** A count of conversations in a bucket, for one value of the counted column. */
export interface ConversationBucket {
  bucket: number;
  key: string | number | null;
  n: number;
}

export interface FeedbackBucket {
  bucket: number;
  rating: 'like' | 'dislike';
  n: number;
}
export interface EndedConversation {
  created_at: string;
  ended_at: string;
  end_reason: string | null;
  /** 1 when the conversation was ever in manual mode or got an operator reply. */
  handed_off: number;
}
export interface HandoffTimes {
  first_operator_at: string | null;
  first_manual_at: string | null;
}
export interface FirstResponseTimes {
  first_user_at: string;
  first_ai_at: string | null;
  first_human_at: string | null;
}

/** Roles counted as messages; `system` is internal and never counted. */
export const COUNTED_ROLES = ['user', 'assistant', 'operator', 'note'] as const;

const TOP_TAGS = 10;

/**
 * The analytics queries. Counters are SQL aggregates grouped by 15-minute UTC buckets (folded
 * into local days by the caller); medians need one value per conversation, so those queries
 * return only the timestamps they need. Every query is bounded to the range and filters on the
 * account, and on the agent when given.
 */
export function createAnalyticsRepository({ db, dialect }: { db: Executor; dialect: DialectName }) {
  const pg = dialect === 'postgres';

  /** `floor(epoch seconds / 900)` of a timestamp column. */
  const bucketOf = (column: string): RawBuilder<number> =>
    pg
      ? sql<number>`floor(extract(epoch from ${sql.ref(column)}) / 900)::bigint`
      : sql<number>`(cast(strftime('%s', ${sql.ref(column)}) as integer) / 900)`;

  // Literal paths and type, so the partial expression index of 0007 matches on both dialects.
  const eventConversationId = pg ? sql`(e.data -> 'conversation' ->> 'id')` : sql`json_extract(e.data, '$.conversation.id')`;
  const eventMode = pg ? sql`(e.data -> 'conversation' ->> 'mode')` : sql`json_extract(e.data, '$.conversation.mode')`;
  const manualModeEvent = sql`e.type = 'conversation.mode_changed' and ${eventMode} = 'manual'`;

  const agentOf = (s: AnalyticsScope, alias: 'c') =>
    s.agentId === undefined ? sql`` : sql`and ${sql.ref(`${alias}.agent_id`)} = ${s.agentId}`;

  /** Messages restricted to the agent's conversations, when an agent is given. */
  const messagesOfAgent = (s: AnalyticsScope) =>
    s.agentId === undefined
      ? sql``
      : sql`and m.conversation_id in (select ac.id from conversations ac where ac.account_id = ${s.accountId} and ac.agent_id = ${s.agentId})`;

  return {
    ...createMemberAnalyticsQueries({ db, dialect }),

    /** Conversations started per bucket, with the sum and count of their scores. */
    async startedBuckets(s: AnalyticsScope): Promise<StartedBucket[]> {
      const bucket = bucketOf('c.created_at');
      const { rows } = await sql<StartedBucket>`
        select ${bucket} as bucket, count(*) as started, sum(c.score) as score_sum, count(c.score) as scored
        from conversations c
        where c.account_id = ${s.accountId} ${agentOf(s, 'c')}
          and c.created_at >= ${s.from} and c.created_at < ${s.to}
        group by ${bucket}`.execute(db);
      return rows;
    },

    /** Messages per bucket and role; assistant replies once complete (a pending or failed one was never sent). */
    async messageBuckets(s: AnalyticsScope): Promise<MessageBucket[]> {
      const bucket = bucketOf('m.created_at');
      const { rows } = await sql<MessageBucket>`
        select ${bucket} as bucket, m.role as role, count(*) as n
        from messages m
        where m.account_id = ${s.accountId} ${messagesOfAgent(s)}
          and m.created_at >= ${s.from} and m.created_at < ${s.to}
          and m.role in (${sql.join(COUNTED_ROLES)}) and m.status = 'completed'
        group by ${bucket}, m.role`.execute(db);
      return rows;
    },

    /** Likes and dislikes per bucket of when they were given. */
    async feedbackBuckets(s: AnalyticsScope): Promise<FeedbackBucket[]> {
      const bucket = bucketOf('m.feedback_at');
      const { rows } = await sql<FeedbackBucket>`
        select ${bucket} as bucket, m.feedback_rating as rating, count(*) as n
        from messages m
        where m.account_id = ${s.accountId} ${messagesOfAgent(s)}
          and m.feedback_rating is not null
          and m.feedback_at >= ${s.from} and m.feedback_at < ${s.to}
        group by ${bucket}, m.feedback_rating`.execute(db);
      return rows;
    },

    /**
     * Conversations counted by local bucket of a moment of theirs in the range and by one column:
     * handoffs by source (`handoff_at`, `handoff_source`), contacts' ratings by rating (`csat_at`,
     * `csat_rating`).
     */
    async conversationBuckets(
      s: AnalyticsScope,
      at: 'handoff_at' | 'csat_at',
      by: 'handoff_source' | 'csat_rating',
    ): Promise<ConversationBucket[]> {
      const bucket = bucketOf(`c.${at}`);
      const moment = sql.ref(`c.${at}`);
      const key = sql.ref(`c.${by}`);
      const { rows } = await sql<ConversationBucket>`
        select ${bucket} as bucket, ${key} as key, count(*) as n
        from conversations c
        where c.account_id = ${s.accountId} ${agentOf(s, 'c')}
          and ${moment} >= ${s.from} and ${moment} < ${s.to}
        group by ${bucket}, ${key}`.execute(db);
      return rows;
    },

    /** Each conversation ended in the range: its times, reason, and whether a human ever took part. */
    async endedConversations(s: AnalyticsScope): Promise<EndedConversation[]> {
      const { rows } = await sql<EndedConversation>`
        select c.created_at, c.ended_at, c.end_reason,
          case when c.mode = 'manual'
            or exists (select 1 from messages m
                       where m.account_id = c.account_id and m.conversation_id = c.id and m.role = 'operator')
            or exists (select 1 from events e
                       where e.account_id = c.account_id and ${manualModeEvent} and ${eventConversationId} = c.id)
          then 1 else 0 end as handed_off
        from conversations c
        where c.account_id = ${s.accountId} ${agentOf(s, 'c')}
          and c.status = 'ended' and c.ended_at >= ${s.from} and c.ended_at < ${s.to}`.execute(db);
      return rows;
    },

    /**
     * For each conversation with a handoff signal (a switch to manual mode, an operator message)
     * in the range: its first signal of each kind ever, so the caller counts a handoff on the day
     * it first happened and only if that day is in the range.
     */
    async handoffTimes(s: AnalyticsScope): Promise<HandoffTimes[]> {
      const { rows } = await sql<HandoffTimes>`
        select
          (select min(m.created_at) from messages m
           where m.account_id = c.account_id and m.conversation_id = c.id and m.role = 'operator') as first_operator_at,
          (select min(e.created_at) from events e
           where e.account_id = c.account_id and ${manualModeEvent} and ${eventConversationId} = c.id) as first_manual_at
        from conversations c
        where c.account_id = ${s.accountId} ${agentOf(s, 'c')}
          and c.id in (
            select m.conversation_id from messages m
            where m.account_id = ${s.accountId} and m.role = 'operator'
              and m.created_at >= ${s.from} and m.created_at < ${s.to}
            union
            select ${eventConversationId} from events e
            where e.account_id = ${s.accountId} and ${manualModeEvent}
              and e.created_at >= ${s.from} and e.created_at < ${s.to}
          )`.execute(db);
      return rows;
    },

    /** For each conversation whose first user message is in the range: when the AI and a human first answered after it. */
    async firstResponseTimes(s: AnalyticsScope): Promise<FirstResponseTimes[]> {
      const { rows } = await sql<FirstResponseTimes>`
        select t.first_user_at,
          (select min(m.created_at) from messages m
           where m.account_id = t.account_id and m.conversation_id = t.id and m.role = 'assistant'
             and m.status = 'completed' and m.created_at >= t.first_user_at) as first_ai_at,
          (select min(m.created_at) from messages m
           where m.account_id = t.account_id and m.conversation_id = t.id and m.role = 'operator'
             and m.created_at >= t.first_user_at) as first_human_at
        from (
          select c.id, c.account_id,
            (select min(u.created_at) from messages u
             where u.account_id = c.account_id and u.conversation_id = c.id and u.role = 'user') as first_user_at
          from conversations c
          where c.account_id = ${s.accountId} ${agentOf(s, 'c')}
            and c.id in (
              select m.conversation_id from messages m
              where m.account_id = ${s.accountId} and m.role = 'user'
                and m.created_at >= ${s.from} and m.created_at < ${s.to}
            )
        ) t
        where t.first_user_at >= ${s.from} and t.first_user_at < ${s.to}`.execute(db);
      return rows;
    },

    /** The most used tags on conversations started in the range. */
    async topTags(s: AnalyticsScope): Promise<Array<{ tag: string; count: number }>> {
      const { rows } = await sql<{ tag: string; count: number }>`
        select t.tag as tag, count(*) as count
        from conversation_tags t
        join conversations c on c.account_id = t.account_id and c.id = t.conversation_id
        where t.account_id = ${s.accountId} and c.account_id = ${s.accountId} ${agentOf(s, 'c')}
          and c.created_at >= ${s.from} and c.created_at < ${s.to}
        group by t.tag
        order by count(*) desc, t.tag asc
        limit ${sql.lit(TOP_TAGS)}`.execute(db);
      return rows;
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
