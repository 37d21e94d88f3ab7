import { Type } from '@sinclair/typebox';

const Count = Type.Integer({ minimum: 0 });
const Seconds = Type.Union([Type.Number(), Type.Null()]);

const Counters = {
  conversations: Type.Object({
    started: Count,
    ended: Type.Integer({ minimum: 0, description: 'Ended for any reason, abandoned included' }),
    abandoned: Type.Integer({ minimum: 0, description: 'Ended by the idle timeout (end_reason abandoned)' }),
    ai_resolved: Type.Integer({
      minimum: 0,
      description: 'Ended without a handoff: never in manual mode and no operator message',
    }),
    handoffs: Type.Integer({
      minimum: 0,
      description: 'Conversations first switched to manual mode or first answered by an operator on that day',
    }),
    handoffs_by_source: Type.Object(
      { ai: Count, visitor: Count, operator: Count, automation: Count, api: Count },
      { description: 'Handoffs recorded that day (POST …/handoff, the widget, the AI, automations), by who asked' },
    ),
  }),
  messages: Type.Object({
    user: Count,
    assistant: Type.Integer({ minimum: 0, description: 'Completed AI replies' }),
    operator: Count,
    note: Count,
  }),
  median_first_response_seconds: Type.Object(
    { ai: Seconds, human: Seconds },
    { description: "From a conversation's first user message to the first assistant (ai) or operator (human) message after it, by the day of that user message" },
  ),
  median_time_to_end_seconds: Type.Union([Type.Number(), Type.Null()], {
    description: 'ended_at − created_at of the conversations ended that day',
  }),
  feedback: Type.Object({ likes: Count, dislikes: Count }, { description: 'Ratings given that day' }),
  average_score: Type.Union([Type.Number(), Type.Null()], {
    description: 'Mean score (1–5) of the conversations started that day that have one',
  }),
  scored_conversations: Count,
  csat: Type.Object(
    {
      count: Count,
      average: Type.Union([Type.Number(), Type.Null()]),
      distribution: Type.Object({ '1': Count, '2': Count, '3': Count, '4': Count, '5': Count }),
    },
    { description: "Contacts' ratings of their ended conversations (1–5) given that day: how many, their mean, and how many of each" },
  ),
};

export const AnalyticsSchema = Type.Object({
  range: Type.Object({
    from: Type.String({ format: 'date-time', description: 'Start of the first local day (inclusive)' }),
    to: Type.String({ format: 'date-time', description: 'End of today, local time (exclusive)' }),
    timezone: Type.String({ description: "The workspace's time zone, in which days are counted" }),
    days: Type.Integer(),
  }),
  totals: Type.Object(Counters),
  series: Type.Array(Type.Object({ date: Type.String({ format: 'date', description: 'Local date, YYYY-MM-DD' }), ...Counters })),
  top_tags: Type.Array(Type.Object({ tag: Type.String(), count: Type.Integer() })),
});

export const AnalyticsQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'Local calendar days ending today (1–365)' }),
    ),
    agent_id: Type.Optional(Type.String({ format: 'uuid', description: 'Only conversations of this agent' })),
  },
  { additionalProperties: false },
);
