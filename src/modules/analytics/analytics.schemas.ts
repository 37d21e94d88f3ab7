import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';

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

const OperatorFigures = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  conversations_handled: Type.Integer({
    minimum: 0,
    description:
      'Conversations the member wrote an operator reply in, or was assigned (a conversation.assigned event naming them), during the range',
  }),
  median_first_response_seconds: Type.Union([Type.Number(), Type.Null()], {
    description:
      "From when a person was first needed (the handoff, or else the contact's first message) to the conversation's first operator reply after it, credited to whoever wrote that reply; replies in the range",
  }),
  median_resolution_seconds: Type.Union([Type.Number(), Type.Null()], {
    description: 'ended_at − created_at of the handled conversations ended in the range',
  }),
  csat: Type.Object(
    { count: Count, average: Type.Union([Type.Number(), Type.Null()]) },
    { description: "Contacts' ratings (1–5) of the handled conversations: how many, and their mean" },
  ),
});

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
  members: Type.Optional(
    Type.Array(OperatorFigures, { description: 'With `group_by=member`: every member of the workspace, by name, zeros when idle' }),
  ),
  teams: Type.Optional(
    Type.Array(
      Type.Object({ ...OperatorFigures.properties, member_ids: Type.Array(Type.String({ format: 'uuid' })) }),
      { description: "With `group_by=member`: every team, counting the conversations its members handled, each once" },
    ),
  ),
});

export const AnalyticsQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'Local calendar days ending today (1–365)' }),
    ),
    agent_id: Type.Optional(Type.String({ format: 'uuid', description: 'Only conversations of this agent' })),
    group_by: Type.Optional(
      StringEnum(['member'] as const, {
        description:
          '`member` adds `members` and `teams`: per operator and per team, conversations handled, median first response and resolution times, and CSAT over the same days. Medians are computed over per-conversation durations in the server, the same on SQLite and PostgreSQL.',
      }),
    ),
  },
  { additionalProperties: false },
);
