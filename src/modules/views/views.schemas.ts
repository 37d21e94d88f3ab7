import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { CHANNEL_TYPES, PRIORITIES } from '../conversations/conversations.schemas.js';

const Uuid = Type.String({ format: 'uuid' });
export const VIEW_SCOPES = ['personal', 'shared'] as const;

/** The list filters a view keeps: the same names and values as `GET /conversations` takes. */
export const ViewFiltersSchema = Type.Object(
  {
    status: Type.Optional(StringEnum(['active', 'ended'] as const)),
    assignee_id: Type.Optional(
      Type.Union([Uuid, Type.Literal('me'), Type.Literal('unassigned')], {
        description: 'A member id, "unassigned", or "me" (whoever opens the view)',
      }),
    ),
    team_id: Type.Optional(Uuid),
    channel_id: Type.Optional(Uuid),
    channel_type: Type.Optional(StringEnum(CHANNEL_TYPES)),
    agent_id: Type.Optional(Uuid),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    state_id: Type.Optional(Uuid),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    mode: Type.Optional(StringEnum(['ai', 'manual'] as const)),
    waiting: Type.Optional(Type.Boolean()),
    snoozed: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ViewSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  scope: StringEnum(VIEW_SCOPES, { description: '`personal`: its owner\'s alone; `shared`: the whole workspace sees it' }),
  filters: ViewFiltersSchema,
  owner_id: Uuid,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const Name = Type.String({ minLength: 1, maxLength: 80, description: 'Shown in the inbox\'s list of views' });

export const CreateViewBody = Type.Object(
  { name: Name, scope: Type.Optional(StringEnum(VIEW_SCOPES, { default: 'personal' })), filters: ViewFiltersSchema },
  { additionalProperties: false },
);

export const UpdateViewBody = Type.Object(
  { name: Type.Optional(Name), scope: Type.Optional(StringEnum(VIEW_SCOPES)), filters: Type.Optional(ViewFiltersSchema) },
  { additionalProperties: false, minProperties: 1 },
);

export const ViewIdParams = Type.Object({ id: Uuid });
