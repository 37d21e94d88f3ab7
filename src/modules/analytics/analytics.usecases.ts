import type { Principal } from '../../shared/auth/principal.js';
import { notFound } from '../../shared/errors/errors.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { AgentsRepository } from '../agents/agents.repository.js';
import { createLocalCalendar, isKnownTimeZone } from './analytics.calendar.js';
import { memberFigures, type MemberAnalyticsView } from './analytics.members.js';
import type { AnalyticsRepository, AnalyticsScope } from './analytics.repository.js';
import { createTallies, HANDOFF_SOURCE_KEYS, type Tally, type TallyView } from './analytics.tally.js';
import { addErased, type ErasedAnalytics } from './analytics.erased.js';

export const DEFAULT_DAYS = 30;

export interface AnalyticsQuery {
  days?: number;
  agent_id?: string;
  group_by?: 'member';
}

export interface AnalyticsView {
  range: { from: string; to: string; timezone: string; days: number };
  totals: TallyView;
  series: Array<{ date: string } & TallyView>;
  top_tags: Array<{ tag: string; count: number }>;
  /** With `group_by=member` only. */
  members?: MemberAnalyticsView['members'];
  teams?: MemberAnalyticsView['teams'];
}

const seconds = (fromIso: string, toIso: string) => (Date.parse(toIso) - Date.parse(fromIso)) / 1000;

export function createAnalyticsUseCases({
  analytics,
  accounts,
  agents,
  erased,
}: {
  analytics: AnalyticsRepository;
  accounts: AccountsRepository;
  agents: AgentsRepository;
  /** What was counted of erased conversations (they still count, as counts only). */
  erased?: Pick<ErasedAnalytics, 'counts'>;
}) {
  return {
    /**
     * The workspace's figures for the last `days` local calendar days (today included) in its
     * time zone: totals, one entry per day (every day present), and the top tags. Any member or
     * API key of the account may read them; an agent of another account is 404.
     */
    async overview(principal: Principal, query: AnalyticsQuery, now: Date = new Date()): Promise<AnalyticsView> {
      const { accountId } = principal;
      const days = query.days ?? DEFAULT_DAYS;
      if (query.agent_id !== undefined && !(await agents.findById(accountId, query.agent_id))) throw notFound('agent');
      const account = await accounts.findAccount(accountId);
      if (!account) throw notFound('workspace');
      // Settings validate the zone; an unknown one (an older ICU) reads as UTC rather than failing.
      const timezone = isKnownTimeZone(account.timezone) ? account.timezone : 'UTC';
      const calendar = createLocalCalendar(timezone);
      const range = calendar.lastDays(days, now);
      const scope: AnalyticsScope = { accountId, agentId: query.agent_id, from: range.from, to: range.to };
      const inRange = (iso: string) => iso >= range.from && iso < range.to;

      const [started, messages, feedback, ended, handoffs, responses, topTags, csat, handoffSources, erasedCounts] = await Promise.all([
        analytics.startedBuckets(scope),
        analytics.messageBuckets(scope),
        analytics.feedbackBuckets(scope),
        analytics.endedConversations(scope),
        analytics.handoffTimes(scope),
        analytics.firstResponseTimes(scope),
        analytics.topTags(scope),
        analytics.conversationBuckets(scope, 'csat_at', 'csat_rating'),
        analytics.conversationBuckets(scope, 'handoff_at', 'handoff_source'),
        erased ? erased.counts(scope) : [],
      ]);
      const byMember =
        query.group_by === 'member'
          ? memberFigures(await analytics.handledConversations(scope), await analytics.roster(accountId), range)
          : undefined;

      const tallies = createTallies(range.dates);
      for (const b of started) {
        tallies.add(calendar.dateOfBucket(Number(b.bucket)), (t) => {
          t.started += Number(b.started);
          t.scoreSum += Number(b.score_sum ?? 0);
          t.scored += Number(b.scored);
        });
      }
      for (const b of messages) {
        tallies.add(calendar.dateOfBucket(Number(b.bucket)), (t) => {
          t.messages[b.role] += Number(b.n);
        });
      }
      for (const b of feedback) {
        tallies.add(calendar.dateOfBucket(Number(b.bucket)), (t) => {
          if (b.rating === 'like') t.likes += Number(b.n);
          else t.dislikes += Number(b.n);
        });
      }
      for (const b of handoffSources) {
        const source = b.key as keyof Tally['handoffsBySource'];
        if (!(source in HANDOFF_SOURCE_KEYS)) continue;
        tallies.add(calendar.dateOfBucket(Number(b.bucket)), (t) => {
          t.handoffsBySource[source] += Number(b.n);
        });
      }
      for (const b of csat) {
        const rating = Number(b.key);
        if (!(rating >= 1 && rating <= 5)) continue;
        tallies.add(calendar.dateOfBucket(Number(b.bucket)), (t) => {
          t.csat[rating - 1] += Number(b.n);
        });
      }
      for (const c of ended) {
        tallies.add(calendar.dateOf(c.ended_at), (t) => {
          t.ended++;
          if (c.end_reason === 'abandoned') t.abandoned++;
          if (Number(c.handed_off) === 0) t.aiResolved++;
          t.timeToEnd.push(seconds(c.created_at, c.ended_at));
        });
      }
      for (const h of handoffs) {
        // The first handoff of any kind; later signals of the same conversation are not new handoffs.
        const first = [h.first_operator_at, h.first_manual_at].filter((x): x is string => x !== null).sort()[0];
        if (first !== undefined && inRange(first)) tallies.add(calendar.dateOf(first), (t) => t.handoffs++);
      }
      for (const c of erasedCounts) tallies.add(calendar.dateOfBucket(Number(c.bucket)), (t) => addErased(t, c));
      for (const r of responses) {
        tallies.add(calendar.dateOf(r.first_user_at), (t) => {
          if (r.first_ai_at !== null) t.aiFirstResponse.push(seconds(r.first_user_at, r.first_ai_at));
          if (r.first_human_at !== null) t.humanFirstResponse.push(seconds(r.first_user_at, r.first_human_at));
        });
      }

      return {
        range: { from: range.from, to: range.to, timezone, days },
        totals: tallies.totals(),
        series: tallies.series(),
        top_tags: topTags.map((r) => ({ tag: r.tag, count: Number(r.count) })),
        ...byMember,
      };
    },
  };
}

export type AnalyticsUseCases = ReturnType<typeof createAnalyticsUseCases>;
