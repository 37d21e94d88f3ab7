import type { HandledConversation, Roster } from './analytics.members.repository.js';
import { median } from './analytics.tally.js';

/** One member's or one team's figures over the range. */
export interface OperatorFigures {
  id: string;
  name: string;
  conversations_handled: number;
  median_first_response_seconds: number | null;
  median_resolution_seconds: number | null;
  csat: { count: number; average: number | null };
}

export interface MemberAnalyticsView {
  members: OperatorFigures[];
  teams: Array<OperatorFigures & { member_ids: string[] }>;
}

const seconds = (fromIso: string, toIso: string) => (Date.parse(toIso) - Date.parse(fromIso)) / 1000;

/**
 * The figures of one group of handled conversations, each conversation counted once however many
 * of the group's members handled it. `byGroup` says whether a first reply's author belongs to the
 * group: a first response is credited to whoever wrote the conversation's first reply.
 */
function figuresOf(rows: HandledConversation[], byGroup: (memberId: string) => boolean, range: { from: string; to: string }) {
  const seen = new Map<string, HandledConversation>();
  for (const r of rows) if (!seen.has(r.conversation_id)) seen.set(r.conversation_id, r);
  const firstResponses: number[] = [];
  const resolutions: number[] = [];
  let rated = 0;
  let ratingSum = 0;
  const inRange = (iso: string) => iso >= range.from && iso < range.to;
  for (const c of seen.values()) {
    if (c.needed_at !== null && c.first_reply_at !== null && c.first_reply_by !== null && byGroup(c.first_reply_by) && inRange(c.first_reply_at)) {
      firstResponses.push(seconds(c.needed_at, c.first_reply_at));
    }
    if (c.status === 'ended' && c.ended_at !== null && inRange(c.ended_at)) resolutions.push(seconds(c.created_at, c.ended_at));
    const rating = c.csat_rating === null ? null : Number(c.csat_rating);
    if (rating !== null && rating >= 1 && rating <= 5) {
      rated++;
      ratingSum += rating;
    }
  }
  return {
    conversations_handled: seen.size,
    median_first_response_seconds: median(firstResponses),
    median_resolution_seconds: median(resolutions),
    csat: { count: rated, average: rated === 0 ? null : Math.round((ratingSum / rated) * 100) / 100 },
  };
}

/** Per member and per team, every one of the account listed (zeros and nulls when idle), in name order. */
export function memberFigures(handled: HandledConversation[], roster: Roster, range: { from: string; to: string }): MemberAnalyticsView {
  const byMember = new Map<string, HandledConversation[]>();
  for (const r of handled) {
    const list = byMember.get(r.member_id);
    if (list) list.push(r);
    else byMember.set(r.member_id, [r]);
  }
  const members = roster.members.map((m) => ({
    id: m.id,
    name: m.name,
    ...figuresOf(byMember.get(m.id) ?? [], (id) => id === m.id, range),
  }));
  const teams = roster.teams.map((t) => {
    const memberIds = new Set(roster.teamMembers.filter((tm) => tm.team_id === t.id).map((tm) => tm.member_id));
    const rows = [...memberIds].flatMap((id) => byMember.get(id) ?? []);
    return {
      id: t.id,
      name: t.name,
      member_ids: [...memberIds].sort(),
      ...figuresOf(rows, (id) => memberIds.has(id), range),
    };
  });
  return { members, teams };
}
