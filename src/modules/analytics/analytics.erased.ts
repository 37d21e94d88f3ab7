import { sql } from 'kysely';
import type { DialectName, Executor } from '../../shared/db/database.js';
import { eventIdExpressions } from '../../shared/db/migrations/0026-erasure.js';
import type { AnalyticsScope } from './analytics.repository.js';
import { COUNTED_ROLES } from './analytics.repository.js';
import { HANDOFF_SOURCE_KEYS, type Tally } from './analytics.tally.js';

/** Ids per `in (…)` list. */
const CHUNK = 500;
const BUCKET_MS = 900_000;

const bucketOf = (iso: string) => Math.floor(Date.parse(iso) / BUCKET_MS);

export interface ErasedCount {
  bucket: number;
  figure: string;
  key: string;
  n: number;
}

/**
 * What analytics counted of conversations that are erased (issue 18: "analytics keep counts
 * only"). Before the rows go, the counts the overview reads from them are folded into
 * `analytics_erased` by 15-minute bucket and agent: conversations started (and their scores),
 * messages by role, feedback, CSAT ratings, handoffs and their sources, conversations ended,
 * abandoned and resolved by the AI. No text, no contact, no conversation id is kept; the medians
 * (response times, time to end) need one value per conversation and are not kept.
 */
export function createErasedAnalytics({ db, dialect }: { db: Executor; dialect: DialectName }) {
  const conversationRef = eventIdExpressions(dialect).conversation;
  const mode = dialect === 'postgres' ? sql`(data -> 'conversation' ->> 'mode')` : sql`json_extract(data, '$.conversation.mode')`;

  return {
    /** Counts these conversations (before they are deleted, in the deleting transaction). */
    async record(accountId: string, conversationIds: string[], trx: Executor): Promise<void> {
      const counts = new Map<string, { agent_id: string; bucket: number; figure: string; key: string; n: number }>();
      const add = (agentId: string, at: string | null, figure: string, key = '', n = 1) => {
        if (at === null || n === 0) return;
        const bucket = bucketOf(at);
        const id = JSON.stringify([agentId, bucket, figure, key]);
        const c = counts.get(id);
        if (c) c.n += n;
        else counts.set(id, { agent_id: agentId, bucket, figure, key, n });
      };
      for (let i = 0; i < conversationIds.length; i += CHUNK) {
        const ids = conversationIds.slice(i, i + CHUNK);
        const conversations = await trx
          .selectFrom('conversations')
          .select(['id', 'agent_id', 'created_at', 'score', 'status', 'ended_at', 'end_reason', 'mode', 'csat_at', 'csat_rating', 'handoff_at', 'handoff_source'])
          .where('account_id', '=', accountId)
          .where('id', 'in', ids)
          .execute();
        const messages = await trx
          .selectFrom('messages')
          .select(['conversation_id', 'role', 'status', 'created_at', 'feedback_rating', 'feedback_at'])
          .where('account_id', '=', accountId)
          .where('conversation_id', 'in', ids)
          .orderBy('id')
          .execute();
        const manual = await sql<{ conversation_id: string; first_at: string }>`
          select ${conversationRef} as conversation_id, min(created_at) as first_at from events
          where account_id = ${accountId} and type = 'conversation.mode_changed' and ${mode} = 'manual'
            and ${conversationRef} in (${sql.join(ids)})
          group by ${conversationRef}`.execute(trx);
        const firstManual = new Map(manual.rows.map((r) => [r.conversation_id, r.first_at]));
        const firstOperator = new Map<string, string>();
        const agentOf = new Map(conversations.map((c) => [c.id, c.agent_id]));
        for (const m of messages) {
          const agentId = agentOf.get(m.conversation_id);
          if (agentId === undefined) continue;
          if (m.role === 'operator' && !firstOperator.has(m.conversation_id)) firstOperator.set(m.conversation_id, m.created_at);
          if ((COUNTED_ROLES as readonly string[]).includes(m.role) && m.status === 'completed') add(agentId, m.created_at, 'message', m.role);
          if (m.feedback_rating) add(agentId, m.feedback_at, 'feedback', m.feedback_rating);
        }
        for (const c of conversations) {
          add(c.agent_id, c.created_at, 'started');
          if (c.score !== null) {
            add(c.agent_id, c.created_at, 'scored');
            add(c.agent_id, c.created_at, 'score_sum', '', Number(c.score));
          }
          if (c.csat_rating !== null) add(c.agent_id, c.csat_at, 'csat', String(c.csat_rating));
          if (c.handoff_source !== null) add(c.agent_id, c.handoff_at, 'handoff_source', c.handoff_source);
          const signals = [firstOperator.get(c.id), firstManual.get(c.id)].filter((x): x is string => !!x).sort();
          if (signals.length > 0) add(c.agent_id, signals[0], 'handoff');
          if (c.status === 'ended' && c.ended_at !== null) {
            add(c.agent_id, c.ended_at, 'ended');
            if (c.end_reason === 'abandoned') add(c.agent_id, c.ended_at, 'abandoned');
            if (c.mode !== 'manual' && signals.length === 0) add(c.agent_id, c.ended_at, 'ai_resolved');
          }
        }
      }
      for (const c of counts.values()) {
        await trx
          .insertInto('analytics_erased')
          .values({ account_id: accountId, ...c })
          .onConflict((oc) => oc.columns(['account_id', 'bucket', 'agent_id', 'figure', 'key']).doUpdateSet({ n: sql`analytics_erased.n + excluded.n` }))
          .execute();
      }
    },

    /** The erased conversations' counts in the scope's range (and of its agent, when given). */
    async counts(s: AnalyticsScope): Promise<ErasedCount[]> {
      let q = db
        .selectFrom('analytics_erased')
        .select(['bucket', 'figure', 'key', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('account_id', '=', s.accountId)
        .where('bucket', '>=', Math.floor(Date.parse(s.from) / BUCKET_MS))
        .where('bucket', '<', Math.ceil(Date.parse(s.to) / BUCKET_MS));
      if (s.agentId !== undefined) q = q.where('agent_id', '=', s.agentId);
      return q.groupBy(['bucket', 'figure', 'key']).execute();
    },
  };
}

export type ErasedAnalytics = ReturnType<typeof createErasedAnalytics>;

/** Adds one erased count to a day's tally. */
export function addErased(t: Tally, c: ErasedCount): void {
  const n = Number(c.n);
  switch (c.figure) {
    case 'started':
      t.started += n;
      break;
    case 'scored':
      t.scored += n;
      break;
    case 'score_sum':
      t.scoreSum += n;
      break;
    case 'message':
      if (c.key in t.messages) t.messages[c.key as keyof Tally['messages']] += n;
      break;
    case 'feedback':
      if (c.key === 'like') t.likes += n;
      else if (c.key === 'dislike') t.dislikes += n;
      break;
    case 'csat': {
      const rating = Number(c.key);
      if (rating >= 1 && rating <= 5) t.csat[rating - 1] += n;
      break;
    }
    case 'handoff_source':
      if (c.key in HANDOFF_SOURCE_KEYS) t.handoffsBySource[c.key as keyof Tally['handoffsBySource']] += n;
      break;
    case 'handoff':
      t.handoffs += n;
      break;
    case 'ended':
      t.ended += n;
      break;
    case 'abandoned':
      t.abandoned += n;
      break;
    case 'ai_resolved':
      t.aiResolved += n;
      break;
  }
}
