import { Type } from '@sinclair/typebox';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

const Name = Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the workspace' });
const MemberIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500, uniqueItems: true, description: "Members of the account (any role)" });
const AutoAssign = Type.Boolean({
  description: "Hand the team's waiting conversations out by itself: to the online member with the fewest open assigned conversations",
});
const MaxOpen = Type.Integer({
  minimum: 0,
  maximum: 1000,
  description: 'Auto-assignment gives nobody more open conversations than this; 0 = no limit',
});

export const TeamSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  member_ids: Type.Array(Type.String({ format: 'uuid' })),
  auto_assign: Type.Boolean(),
  max_open_per_member: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const TeamIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ListTeamsQuery = Type.Object({ ...PageQuerySchema }, { additionalProperties: false });

export const CreateTeamBody = Type.Object(
  {
    name: Name,
    member_ids: Type.Optional(MemberIds),
    auto_assign: Type.Optional(AutoAssign),
    max_open_per_member: Type.Optional(MaxOpen),
  },
  { additionalProperties: false },
);

export const UpdateTeamBody = Type.Object(
  {
    name: Type.Optional(Name),
    member_ids: Type.Optional(MemberIds),
    auto_assign: Type.Optional(AutoAssign),
    max_open_per_member: Type.Optional(MaxOpen),
  },
  { additionalProperties: false },
);
