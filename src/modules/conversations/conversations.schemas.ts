import { Type } from '@sinclair/typebox';
import { MetadataSchema, StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

export const ConversationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    contact_id: Type.Integer(),
    status: StringEnum(['active', 'ended'] as const),
    metadata: MetadataSchema,
    ended_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
);

export const ConversationIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListConversationsQuery = Type.Object(
  {
    contact_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    status: Type.Optional(StringEnum(['active', 'ended'] as const)),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const CreateConversationBody = Type.Object(
  {
    contact_id: Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
