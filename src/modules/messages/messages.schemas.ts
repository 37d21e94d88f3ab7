import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

export const MAX_CONTENT_LENGTH = 32_000;

export const MessageSchema = Type.Object(
  {
    id: Type.Integer(),
    role: StringEnum(['user', 'assistant', 'operator', 'note'] as const),
    content: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
  },
);

export const ConversationMessagesParams = Type.Object({ conversation_id: Type.String({ format: 'uuid' }) });

export const ListMessagesQuery = Type.Object({ ...PageQuerySchema }, { additionalProperties: false });

export const CreateMessageBody = Type.Object(
  {
    content: Type.String({ maxLength: MAX_CONTENT_LENGTH, description: 'The user message (cannot be blank)' }),
    stream: Type.Optional(Type.Boolean({ default: false, description: 'Reply as Server-Sent Events' })),
  },
  { additionalProperties: false },
);

export const CreateMessageResponse = Type.Object({
  data: Type.Object({
    user_message: MessageSchema,
    assistant_message: Type.Union([MessageSchema, Type.Null()]),
  }),
});
