import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { ACTION_TYPES, EVENT_TYPES, OPERATORS } from './automations.rules.js';

export const MAX_CONDITIONS = 20;
export const MAX_ACTIONS = 20;

const Name = Type.String({ minLength: 1, maxLength: 200 });
const EventTypeSchema = StringEnum(EVENT_TYPES, { description: 'The event type that triggers the rule' });

const ConditionSchema = Type.Object(
  {
    field: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'message.content, message.role, conversation.channel_type, conversation.mode, conversation.tags, conversation.priority, conversation.team_id (a team id or null), contact.email, contact.metadata.<key>, agent.id',
    }),
    operator: StringEnum(OPERATORS),
    value: Type.Unknown({ description: 'Compared with the field; an array for `in`, a number for `gt`/`lt`' }),
  },
  { additionalProperties: false },
);

const ActionSchema = Type.Object(
  {
    type: StringEnum(ACTION_TYPES),
    value: Type.Optional(
      Type.Unknown({
        description:
          'A tag, a member id or null (assign), a team id (assign_team: hands the conversation to that team, queued there while nobody is assigned and it is in manual mode), ai|manual (set_mode), a state id or null (set_state), a priority, a text (send_message, add_note), a webhook endpoint id (send_webhook), a reason or null (handoff); none for end_conversation',
      }),
    ),
  },
  { additionalProperties: false },
);

const Conditions = Type.Array(ConditionSchema, { maxItems: MAX_CONDITIONS, description: 'All must hold' });
const Actions = Type.Array(ActionSchema, { minItems: 1, maxItems: MAX_ACTIONS, description: 'Run in order' });

export const AutomationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  event: Type.String(),
  conditions: Type.Array(Type.Object({ field: Type.String(), operator: Type.String(), value: Type.Unknown() })),
  actions: Type.Array(Type.Object({ type: Type.String(), value: Type.Unknown() })),
  active: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const AutomationRunSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  automation_id: Type.String({ format: 'uuid' }),
  event_id: Type.Integer(),
  event_type: Type.Union([Type.String(), Type.Null()]),
  conversation_id: Type.Union([Type.String(), Type.Null()]),
  matched: Type.Boolean(),
  status: Type.String({ description: 'ok, error, or running while its actions run' }),
  actions: Type.Array(
    Type.Object({
      type: Type.String(),
      status: Type.String({ description: 'ok or error' }),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});

export const AutomationIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListAutomationsQuery = Type.Object(
  {
    event: Type.Optional(EventTypeSchema),
    active: Type.Optional(Type.Boolean()),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const ListRunsQuery = Type.Object({ ...PageQuerySchema }, { additionalProperties: false });

export const CreateAutomationBody = Type.Object(
  {
    name: Name,
    event: EventTypeSchema,
    conditions: Type.Optional(Conditions),
    actions: Actions,
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateAutomationBody = Type.Object(
  {
    name: Type.Optional(Name),
    event: Type.Optional(EventTypeSchema),
    conditions: Type.Optional(Conditions),
    actions: Type.Optional(Actions),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
