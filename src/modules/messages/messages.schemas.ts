import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

export const MAX_CONTENT_LENGTH = 32_000;

export const FeedbackSchema = Type.Object({
  rating: StringEnum(['like', 'dislike'] as const),
  comment: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** A file on a message; `url` downloads it under the caller's rights. */
export const AttachmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  content_type: Type.String({ description: 'Detected from the bytes, not taken from the upload' }),
  size: Type.Integer({ description: 'In bytes' }),
  url: Type.String({ description: 'GET it with the same credentials (/api/v1/attachments/{id})' }),
});

/** What became of a message sent through a channel. */
export const DeliverySchema = Type.Object({
  status: StringEnum(['queued', 'sent', 'failed'] as const),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt failed' }),
  attempts: Type.Integer(),
  sent_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** Files uploaded to the conversation (POST /conversations/{id}/attachments) for a message to carry. */
export const AttachmentIds = Type.Array(Type.String({ format: 'uuid' }), {
  maxItems: 10,
  description: 'Uploads of this conversation (POST …/attachments) on no message yet; at most 10',
});

export const MessageSchema = Type.Object({
  id: Type.Integer(),
  role: StringEnum(['user', 'assistant', 'operator', 'note'] as const),
  content: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  conversation_id: Type.String({ format: 'uuid' }),
  modality: StringEnum(['text', 'voice'] as const),
  author_id: Type.Union([Type.String(), Type.Null()], { description: 'The member who wrote it, if a member did' }),
  context: Type.Union([Type.String(), Type.Null()], { description: 'The context given with it for the AI (never shown to the contact)' }),
  author: Type.Object(
    {
      type: StringEnum(['contact', 'agent', 'member', 'api_key', 'system'] as const),
      id: Type.Union([Type.String(), Type.Integer(), Type.Null()], { description: "The contact's (a number), agent's, member's or API key's id" }),
      name: Type.Union([Type.String(), Type.Null()], { description: 'As it was when the message was written' }),
    },
    { description: 'Who wrote it: the contact, the AI agent, a member, an API key (an integration writing as the team) or an automation (system)' },
  ),
  status: StringEnum(['pending', 'streaming', 'completed', 'failed'] as const),
  error: Type.Union([Type.String(), Type.Null()]),
  feedback: Type.Union([FeedbackSchema, Type.Null()]),
  attachments: Type.Array(AttachmentSchema, { description: 'The files it carries' }),
  delivery: Type.Union([DeliverySchema, Type.Null()], {
    description: 'Sent through a channel (email): whether it went out; null for messages no channel sends',
  }),
});

export const ConversationMessagesParams = Type.Object({ conversation_id: Type.String({ format: 'uuid' }) });

export const ListMessagesQuery = Type.Object({ ...PageQuerySchema }, { additionalProperties: false });

export const CreateMessageBody = Type.Object(
  {
    content: Type.String({ maxLength: MAX_CONTENT_LENGTH, description: 'The message (cannot be blank, unless it carries attachments)' }),
    stream: Type.Optional(Type.Boolean({ default: false, description: 'Reply as Server-Sent Events' })),
    attachment_ids: Type.Optional(AttachmentIds),
    role: Type.Optional(
      StringEnum(['user', 'operator', 'note'] as const, {
        default: 'user',
        description: "user (the contact, answered by the AI), operator (a human reply the contact sees) or note (internal)",
      }),
    ),
    modality: Type.Optional(StringEnum(['text', 'voice'] as const, { default: 'text' })),
    context: Type.Optional(
      Type.String({
        maxLength: 4000,
        description: "What your backend knows for this message (an order, the page): given to the AI for its reply, shown to members, never to the contact",
      }),
    ),
    async: Type.Optional(
      Type.Boolean({ default: false, description: 'Answer 202 at once; follow the reply with GET …/messages/{id}' }),
    ),
  },
  { additionalProperties: false },
);

export const ExchangeResponse = Type.Object({
  data: Type.Object({
    user_message: MessageSchema,
    assistant_message: Type.Union([MessageSchema, Type.Null()]),
  }),
});

export const MessageParams = Type.Object({
  conversation_id: Type.String({ format: 'uuid' }),
  message_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const FeedbackBody = Type.Object(
  {
    rating: Type.Union([StringEnum(['like', 'dislike'] as const), Type.Null()]),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const SuggestionSchema = Type.Object({
  content: Type.String(),
  sources: Type.Array(
    Type.Object({ document_id: Type.String(), title: Type.String(), url: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

export const TranscriptSchema = Type.Object({
  conversation_id: Type.String({ format: 'uuid' }),
  messages: Type.Array(
    Type.Object({
      id: Type.Integer(),
      role: StringEnum(['user', 'assistant', 'operator'] as const),
      content: Type.String(),
      created_at: Type.String({ format: 'date-time' }),
      modality: StringEnum(['text', 'voice'] as const),
    }),
  ),
});

export const TranscriptQuery = Type.Object(
  { format: Type.Optional(StringEnum(['json', 'text'] as const, { default: 'json' })) },
  { additionalProperties: false },
);
