/** The figures of one day, or of the whole range, while they are being added up. */
export interface Tally {
  started: number;
  ended: number;
  abandoned: number;
  aiResolved: number;
  handoffs: number;
  messages: { user: number; assistant: number; operator: number; note: number };
  /** Seconds, one value per conversation. */
  aiFirstResponse: number[];
  humanFirstResponse: number[];
  timeToEnd: number[];
  likes: number;
  dislikes: number;
  scoreSum: number;
  scored: number;
  /** Handoffs recorded (handoff_at) by who asked for them. */
  handoffsBySource: { ai: number; visitor: number; operator: number; automation: number; api: number };
  /** CSAT ratings given, by rating: [ones, twos, threes, fours, fives]. */
  csat: [number, number, number, number, number];
}

export const HANDOFF_SOURCE_KEYS = { ai: 0, visitor: 0, operator: 0, automation: 0, api: 0 };

export function emptyTally(): Tally {
  return {
    started: 0,
    ended: 0,
    abandoned: 0,
    aiResolved: 0,
    handoffs: 0,
    messages: { user: 0, assistant: 0, operator: 0, note: 0 },
    aiFirstResponse: [],
    humanFirstResponse: [],
    timeToEnd: [],
    likes: 0,
    dislikes: 0,
    scoreSum: 0,
    scored: 0,
    csat: [0, 0, 0, 0, 0],
    handoffsBySource: { ...HANDOFF_SOURCE_KEYS },
  };
}

/** The middle value (mean of the two middle ones for an even count), to the millisecond; null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(m * 1000) / 1000;
}

/** CSAT as shown: how many ratings, their mean (two decimals) and how many of each 1–5. */
function presentCsat(counts: Tally['csat']) {
  const count = counts.reduce((a, b) => a + b, 0);
  const sum = counts.reduce((a, n, i) => a + n * (i + 1), 0);
  return {
    count,
    average: count === 0 ? null : Math.round((sum / count) * 100) / 100,
    distribution: { '1': counts[0], '2': counts[1], '3': counts[2], '4': counts[3], '5': counts[4] },
  };
}

/** A tally as the API shows it (per day and in total). */
export function presentTally(t: Tally) {
  return {
    conversations: {
      started: t.started,
      ended: t.ended,
      abandoned: t.abandoned,
      ai_resolved: t.aiResolved,
      handoffs: t.handoffs,
      handoffs_by_source: { ...t.handoffsBySource },
    },
    messages: { ...t.messages },
    median_first_response_seconds: { ai: median(t.aiFirstResponse), human: median(t.humanFirstResponse) },
    median_time_to_end_seconds: median(t.timeToEnd),
    feedback: { likes: t.likes, dislikes: t.dislikes },
    average_score: t.scored === 0 ? null : Math.round((t.scoreSum / t.scored) * 100) / 100,
    scored_conversations: t.scored,
    csat: presentCsat(t.csat),
  };
}

export type TallyView = ReturnType<typeof presentTally>;

/**
 * One tally per local date of the range and one for the whole range; `add(date, fn)` applies a
 * change to both, and ignores dates outside the range.
 */
export function createTallies(dates: string[]) {
  const days = new Map(dates.map((d) => [d, emptyTally()]));
  const total = emptyTally();
  return {
    add(date: string, change: (t: Tally) => void): void {
      const day = days.get(date);
      if (!day) return;
      change(day);
      change(total);
    },
    series: () => dates.map((date) => ({ date, ...presentTally(days.get(date)!) })),
    totals: () => presentTally(total),
  };
}
