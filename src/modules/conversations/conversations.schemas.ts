import { Type } from '@sinclair/typebox';
import { MetadataSchema, StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { MessageSchema } from '../messages/messages.schemas.js';
import { ContactSchema } from '../contacts/contacts.schemas.js';
import { VIEWS } from './conversations.queries.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNEL_TYPES = ['api', 'web_widget', 'email', 'sms', 'whatsapp', 'voice'] as const;

export const HANDOFF_SOURCES = ['visitor', 'operator', 'ai', 'automation', 'api'] as const;
export const HandoffSchema = Type.Object({ at: Timestamp, source: StringEnum(HANDOFF_SOURCES), reason: Type.Union([Type.String(), Type.Null()]) });
export const CsatSchema = Type.Object({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
});
const VisitorSchema = Type.Object({
  page_url: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  browser: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Record(Type.String(), Type.Unknown()),
});

const LastMessageSchema = Type.Object({
  id: Type.Integer(),
  role: StringEnum(['user', 'assistant', 'operator', 'note'] as const),
  content: Type.String({ description: 'The first 200 characters' }),
  author: Type.Object({ type: StringEnum(['contact', 'agent', 'member', 'api_key', 'system'] as const), name: Type.Union([Type.String(), Type.Null()]) }),
  created_at: Timestamp,
});

export const ConversationSchema = Type.Object({
  id: Uuid,
  contact_id: Type.Integer(),
  status: StringEnum(['active', 'ended'] as const),
  metadata: MetadataSchema,
  ended_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
  agent_id: Uuid,
  channel_id: Type.Union([Uuid, Type.Null()]),
  end_reason: Type.Union([StringEnum(['ended', 'abandoned'] as const), Type.Null()]),
  mode: StringEnum(['ai', 'manual'] as const),
  assignee_id: Type.Union([Uuid, Type.Null()]),
  team_id: Type.Union([Uuid, Type.Null()], { description: 'The team it is with (its queue, when nobody is assigned)' }),
  state_id: Type.Union([Uuid, Type.Null()]),
  tags: Type.Array(Type.String()),
  title: Type.Union([Type.String(), Type.Null()]),
  context: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([Type.Integer(), Type.Null()]),
  priority: StringEnum(PRIORITIES),
  unread_count: Type.Integer(),
  turn_count: Type.Integer(),
  last_message_at: Type.Union([Timestamp, Type.Null()]),
  handoff: Type.Union([HandoffSchema, Type.Null()], { description: 'When, by whom and why it was handed to the team' }),
  waiting_since: Type.Union([Timestamp, Type.Null()], {
    description: "Since when the contact has waited for an answer: their first unanswered message, or the handoff",
  }),
  csat: Type.Union([CsatSchema, Type.Null()], { description: "The contact's rating once it ended" }),
  visitor: Type.Union([VisitorSchema, Type.Null()], { description: 'What the chat widget knew of the visitor (widget conversations)' }),
  contact_read_message_id: Type.Union([Type.Integer(), Type.Null()], { description: 'The last message the contact has seen' }),
  team_read_message_id: Type.Union([Type.Integer(), Type.Null()], { description: "The last of the contact's messages the team has read" }),
  snoozed_until: Type.Union([Timestamp, Type.Null()], {
    description: 'Hidden from the "Open" view until then, or until the contact writes (null: not snoozed)',
  }),
  recent_messages: Type.Optional(Type.Array(MessageSchema)),
  contact: Type.Optional(Type.Union([ContactSchema, Type.Null()], { description: 'With `include=contact`: the contact as the contacts API shows it' })),
  last_message: Type.Optional(
    Type.Union([LastMessageSchema, Type.Null()], {
      description: 'With `include=last_message`: the last message (internal notes only for members), null when there is none',
    }),
  ),
});

export const ConversationIdParams = Type.Object({ id: Uuid });
export const ConversationTagParams = Type.Object({ id: Uuid, tag: Type.String({ minLength: 1, maxLength: 50 }) });

const Include = Type.Optional(
  Type.String({
    maxLength: 100,
    description:
      'Comma-separated: `recent_messages` (the last 3 messages), `contact` (the contact object), `last_message` (the last message, cut to 200 characters, with its author). Notes are included only for members.',
  }),
);

export const ListConversationsQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(['active', 'ended'] as const)),
    agent_id: Type.Optional(Uuid),
    contact_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    channel_id: Type.Optional(Uuid),
    channel_type: Type.Optional(StringEnum(CHANNEL_TYPES)),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    assignee_id: Type.Optional(
      Type.Union([Uuid, Type.Literal('unassigned'), Type.Literal('me')], { description: 'A member id, "unassigned", or "me" (the signed-in member)' }),
    ),
    team_id: Type.Optional(Uuid),
    mode: Type.Optional(StringEnum(['ai', 'manual'] as const)),
    state_id: Type.Optional(Uuid),
    has_feedback: Type.Optional(Type.Boolean()),
    waiting: Type.Optional(
      Type.Boolean({ description: 'true: handed to the team and waiting for a person (the contact wrote last, or nobody answered the handoff yet)' }),
    ),
    view: Type.Optional(
      StringEnum(VIEWS, {
        description:
          'A built-in view, combined with the other filters: `open` (active, not snoozed), `mine` / `unassigned` / `waiting` (open and assigned to me / to nobody / waiting for a person), `snoozed` (active and snoozed), `ended`, `all`. `mine` needs a member session.',
      }),
    ),
    snoozed: Type.Optional(Type.Boolean({ description: 'true: snoozed conversations only; false: none of them' })),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Search title, summary, messages, contact and agent' })),
    since: Type.Optional(Type.String({ maxLength: 40, description: 'On or after this time (ISO-8601), on `sort`' })),
    until: Type.Optional(Type.String({ maxLength: 40, description: 'On or before this time (ISO-8601), on `sort`' })),
    sort: Type.Optional(
      StringEnum(['created_at', 'updated_at', 'last_activity'] as const, {
        default: 'created_at',
        description: '`last_activity`: the last message\'s time, else the creation\'s; what the inbox sorts by (ending or assigning a conversation does not move it)',
      }),
    ),
    order: Type.Optional(StringEnum(['asc', 'desc'] as const, { default: 'desc' })),
    include: Include,
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const GetConversationQuery = Type.Object({ include: Include }, { additionalProperties: false });

export const CreateConversationBody = Type.Object(
  {
    contact_id: Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
    agent_id: Type.Optional(Uuid),
    channel_id: Type.Optional(Uuid),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const UpdateConversationBody = Type.Object(
  {
    title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    context: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    summary: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
    score: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()])),
    state_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const TagBody = Type.Object({ tag: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false });
export const AssignBody = Type.Object(
  {
    member_id: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'A member of the account; null unassigns' })),
    team_id: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'A team of the account; null takes it out of any team' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const SnoozeBody = Type.Object(
  {
    until: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'When it comes back (ISO-8601, in the future, at most a year ahead)',
    }),
  },
  { additionalProperties: false },
);
export const ModeBody = Type.Object({ mode: StringEnum(['ai', 'manual'] as const) }, { additionalProperties: false });

const Count = Type.Integer({ minimum: 0 });
export const CountsSchema = Type.Object({
  open: Count,
  mine: Count,
  unassigned: Count,
  waiting: Count,
  snoozed: Count,
  ended: Count,
  all: Count,
  views: Type.Array(Type.Object({ id: Uuid, count: Count }), { description: 'Each saved view the member sees' }),
});

export const BulkBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true, description: '1 to 100 distinct conversation ids' }),
    action: Type.String({
      maxLength: 40,
      description: 'assign, tag, untag, set_state, set_priority, snooze, unsnooze, end or reopen (anything else is 422)',
    }),
    value: Type.Optional(
      Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
        description:
          'assign: a member id, "me" or null (unassign); tag / untag: the tag; set_state: a state id or null; set_priority: low, normal, high or urgent; snooze: the time to snooze until; none for unsnooze, end and reopen',
      }),
    ),
  },
  { additionalProperties: false },
);

const BulkError = Type.Object({ code: Type.String(), message: Type.String() });
// One object shape rather than a union of two: the response serializer handles it directly.
export const BulkResultSchema = Type.Object(
  {
    id: Uuid,
    ok: Type.Boolean(),
    conversation: Type.Optional(ConversationSchema),
    error: Type.Optional(BulkError),
  },
  { description: '`{id, ok: true, conversation}` when applied, `{id, ok: false, error: {code, message}}` when not' },
);
export const BulkResponse = Type.Object({ data: Type.Object({ results: Type.Array(BulkResultSchema) }) });
