import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { MAX_RANGES_PER_DAY, REPLY_TIMES } from './business-hours.js';

/** A year: the longest an active conversation may sit idle before it is ended as abandoned. */
export const MAX_IDLE_END_MINUTES = 525_600;

const Time = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'HH:MM, 00:00 to 24:00' });
const Range = Type.Array(Time, {
  minItems: 2,
  maxItems: 2,
  description: 'An opening range [start, end) in the business time zone; the end may be 24:00',
  examples: [['09:00', '17:00']],
});
/** One day's ranges; `limited` adds the input's bound (answers always hold valid hours). */
const dayRanges = (day: string, limited = false) =>
  Type.Array(Range, {
    ...(limited ? { maxItems: MAX_RANGES_PER_DAY } : {}),
    description: `${day}'s opening ranges: at most ${MAX_RANGES_PER_DAY}, not overlapping; none = closed all day`,
  });

const ReplyTimeSchema = StringEnum(REPLY_TIMES, {
  description: 'How soon the team typically replies, as the chat widget tells visitors: within minutes, hours or a day',
});

const EnabledSchema = Type.Boolean({ description: 'false: the team counts as always online; the hours are kept' });

const BusinessHoursSchema = Type.Object({
  enabled: EnabledSchema,
  timezone: Type.String({ description: 'The IANA time zone of the ranges' }),
  days: Type.Object({
    mon: dayRanges('Monday'),
    tue: dayRanges('Tuesday'),
    wed: dayRanges('Wednesday'),
    thu: dayRanges('Thursday'),
    fri: dayRanges('Friday'),
    sat: dayRanges('Saturday'),
    sun: dayRanges('Sunday'),
  }),
});

const BusinessHoursInput = Type.Object(
  {
    enabled: EnabledSchema,
    timezone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "The IANA time zone of the ranges; default the workspace's, stored with the hours; an unknown zone is 422",
      }),
    ),
    days: Type.Object(
      {
        mon: Type.Optional(dayRanges('Monday', true)),
        tue: Type.Optional(dayRanges('Tuesday', true)),
        wed: Type.Optional(dayRanges('Wednesday', true)),
        thu: Type.Optional(dayRanges('Thursday', true)),
        fri: Type.Optional(dayRanges('Friday', true)),
        sat: Type.Optional(dayRanges('Saturday', true)),
        sun: Type.Optional(dayRanges('Sunday', true)),
      },
      {
        additionalProperties: false,
        description: 'Opening ranges per day; a day left out is closed. Ranges that overlap or do not start before they end are 422',
        examples: [{ mon: [['09:00', '12:30'], ['13:30', '17:00']], tue: [['09:00', '17:00']] }],
      },
    ),
  },
  { additionalProperties: false },
);

/** A hundred years: longer than that is a mistake, not a retention period. */
export const MAX_RETENTION_DAYS = 36_500;

/** The kinds of data a workspace sets a retention period for (null: kept forever). */
export const RETENTION_KINDS = {
  ended_conversations_days: 'Days an ended conversation is kept after it ended, with its messages, files and events',
  events_days: 'Days an event is kept in the event log (never while a webhook delivery or an async reply still needs it)',
  webhook_deliveries_days: 'Days a finished webhook delivery (delivered or failed) is kept',
  automation_runs_days: 'Days an automation run is kept',
  audit_log_days: 'Days an audit log entry is kept (365 unless changed)',
} as const;
export type RetentionKind = keyof typeof RETENTION_KINDS;

const retentionDays = (kind: RetentionKind, input: boolean) =>
  Type.Union(
    [input ? Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS }) : Type.Integer(), Type.Null()],
    { description: `${RETENTION_KINDS[kind]}; null = forever${input ? `; a whole number from 1 to ${MAX_RETENTION_DAYS}` : ''}` },
  );
const retentionObject = (input: boolean) =>
  Type.Object(
    {
      ended_conversations_days: retentionDays('ended_conversations_days', input),
      events_days: retentionDays('events_days', input),
      webhook_deliveries_days: retentionDays('webhook_deliveries_days', input),
      automation_runs_days: retentionDays('automation_runs_days', input),
      audit_log_days: retentionDays('audit_log_days', input),
    },
    { description: 'How long the workspace keeps each kind of data; older data is deleted by a background task' },
  );
const RetentionSchema = retentionObject(false);
const RetentionInput = Type.Partial(retentionObject(true), {
  additionalProperties: false,
  description: 'Retention periods to change; a field left out keeps its value, null keeps that data forever',
  examples: [{ ended_conversations_days: 365, events_days: 90 }],
});

export const WorkspaceSettingsSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  timezone: Type.String({ description: 'IANA time zone, e.g. Europe/Paris' }),
  idle_end_minutes: Type.Integer({
    description: 'Minutes without activity after which an active conversation is ended as abandoned; 0 = never',
  }),
  business_hours: Type.Union([BusinessHoursSchema, Type.Null()], {
    description: 'When the team answers, or null when not configured (always online)',
  }),
  reply_time: ReplyTimeSchema,
  online: Type.Boolean({ description: 'Whether the team is within its business hours now (always true without hours)' }),
  next_online_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the team is next online, while it is not; null while online or when no day has hours',
  }),
  operator_reply_takes_over: Type.Boolean({
    description: "Whether an operator's reply to a conversation the AI is answering takes it over (manual mode, assigned to them when unassigned)",
  }),
  retention: RetentionSchema,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const UpdateWorkspaceSettingsBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timezone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone name; an unknown zone is 422' }),
    ),
    idle_end_minutes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_IDLE_END_MINUTES,
        description: 'Minutes without activity after which an active conversation is ended as abandoned; 0 = never',
      }),
    ),
    business_hours: Type.Optional(
      Type.Union([BusinessHoursInput, Type.Null()], {
        description: 'The business hours, replaced as a whole; null clears them (always online)',
      }),
    ),
    reply_time: Type.Optional(ReplyTimeSchema),
    operator_reply_takes_over: Type.Optional(Type.Boolean()),
    retention: Type.Optional(RetentionInput),
  },
  { additionalProperties: false },
);
