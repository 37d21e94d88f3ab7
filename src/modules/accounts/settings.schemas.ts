import { Type } from '@sinclair/typebox';

/** A year: the longest an active conversation may sit idle before it is ended as abandoned. */
export const MAX_IDLE_END_MINUTES = 525_600;

export const WorkspaceSettingsSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  timezone: Type.String({ description: 'IANA time zone, e.g. Europe/Paris' }),
  idle_end_minutes: Type.Integer({
    description: 'Minutes without activity after which an active conversation is ended as abandoned; 0 = never',
  }),
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
  },
  { additionalProperties: false },
);
