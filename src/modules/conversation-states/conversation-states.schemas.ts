import { Type } from '@sinclair/typebox';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

/** Used when a state is created without a color: a neutral slate grey. */
export const DEFAULT_STATE_COLOR = '#64748b';

const Name = Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the workspace' });
const Description = Type.String({ maxLength: 1000 });
const Color = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: 'Hex color #rrggbb (stored lower-case)' });

export const ConversationStateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  description: Type.String(),
  color: Type.String(),
  persistent: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ConversationStateIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListConversationStatesQuery = Type.Object({ ...PageQuerySchema }, { additionalProperties: false });

export const CreateConversationStateBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    color: Type.Optional(Color),
    persistent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateConversationStateBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    color: Type.Optional(Color),
    persistent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
