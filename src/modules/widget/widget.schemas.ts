import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { CsatSchema, HandoffSchema } from '../conversations/conversations.schemas.js';
import { AttachmentIds, AttachmentSchema } from '../messages/messages.schemas.js';

export const StartSessionBody = Type.Object(
  {
    public_key: Type.String({ pattern: '^pk_live_[A-Za-z0-9_-]{16,64}$', description: "The web_widget channel's public key" }),
    visitor_token: Type.Optional(Type.String({ maxLength: 100, description: 'The token this browser was given before, to resume its session' })),
    user: Type.Optional(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 200, description: "Your user's id (the contact's external_id once verified)" }),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
          name: Type.Optional(Type.String({ maxLength: 200 })),
          hash: Type.Optional(
            Type.String({ maxLength: 128, description: "Hex HMAC-SHA256 of id under the channel's identity_secret, computed by your backend" }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    attributes: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Custom attributes, deep-merged into the visitor's contact metadata (at most 16 KiB)" }),
    ),
    page_url: Type.Optional(Type.String({ maxLength: 2000 })),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
  },
  { additionalProperties: false },
);

const PreChatField = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: StringEnum(['text', 'email', 'select'] as const),
  options: Type.Optional(Type.Array(Type.String())),
  required: Type.Boolean(),
});

export const SessionSchema = Type.Object({
  visitor_token: Type.String({ description: 'vt_…: send it as Authorization: Bearer on the other widget routes; keep it to resume' }),
  contact: Type.Object({
    id: Type.Integer(),
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    verified: Type.Boolean({ description: 'Whether the site proved who this visitor is (identity verification)' }),
  }),
  widget: Type.Object({
    title: Type.String(),
    greeting: Type.String(),
    accent_color: Type.String(),
    position: StringEnum(['left', 'right'] as const),
    locale: Type.String(),
    pre_chat: Type.Object({ enabled: Type.Boolean(), require_email: Type.Boolean(), fields: Type.Array(PreChatField) }),
    online: Type.Boolean({ description: 'Whether the team is within its business hours now' }),
    next_online_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    reply_time: StringEnum(['minutes', 'hours', 'day'] as const),
  }),
});

export const VisitorPageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const VisitorConversationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const VisitorFeedbackParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  message_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const CreateVisitorConversationBody = Type.Object(
  {
    pre_chat: Type.Optional(
      Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 500 }), { description: "The pre-chat form's answers by field name" }),
    ),
    page_url: Type.Optional(Type.String({ maxLength: 2000, description: 'The page the visitor was on, shown to the team' })),
    locale: Type.Optional(Type.String({ maxLength: 35, description: "The visitor's language (default: the browser's Accept-Language)" })),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { description: 'What the site knows of the visitor, shown to the team (at most 4 KiB as JSON)' }),
    ),
  },
  { additionalProperties: false },
);

export const VisitorMessageBody = Type.Object(
  {
    content: Type.String({ maxLength: 10_000, description: "The visitor's message (cannot be blank, unless it carries attachments)" }),
    stream: Type.Optional(Type.Boolean({ default: false })),
    attachment_ids: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);

export const VisitorMessageSchema = Type.Object({
  id: Type.Integer(),
  role: StringEnum(['user', 'assistant', 'operator'] as const),
  content: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  conversation_id: Type.String({ format: 'uuid' }),
  status: StringEnum(['pending', 'streaming', 'completed', 'failed'] as const),
  author: Type.Object({
    type: StringEnum(['contact', 'agent', 'member'] as const),
    name: Type.Union([Type.String(), Type.Null()], { description: "The agent's name; an operator's first name" }),
  }),
  sources: Type.Array(Type.Object({ title: Type.String(), url: Type.Union([Type.String(), Type.Null()]) })),
  attachments: Type.Array(AttachmentSchema, { description: "The files it carries; GET each url with the visitor's token" }),
  feedback: Type.Union([
    Type.Object({
      rating: StringEnum(['like', 'dislike'] as const),
      comment: Type.Union([Type.String(), Type.Null()]),
      created_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

export const VisitorConversationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: StringEnum(['active', 'ended'] as const),
  mode: StringEnum(['ai', 'manual'] as const, { description: 'manual: a person has taken over and the AI does not answer' }),
  title: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  ended_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_message_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  handoff: Type.Union([HandoffSchema, Type.Null()], { description: 'When the conversation was handed to the team' }),
  csat: Type.Union([CsatSchema, Type.Null()], { description: "The visitor's rating, once given" }),
  team_read_message_id: Type.Union([Type.Integer(), Type.Null()], { description: "The last of the visitor's messages the team has read" }),
  last_message: Type.Union([VisitorMessageSchema, Type.Null()]),
});

export const VisitorExchangeSchema = Type.Object({
  user_message: VisitorMessageSchema,
  assistant_message: Type.Union([VisitorMessageSchema, Type.Null()]),
});

export const VisitorTypingBody = Type.Object({ typing: Type.Boolean() }, { additionalProperties: false });
export const VisitorReadBody = Type.Object(
  { message_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The last message the visitor has seen' }) },
  { additionalProperties: false },
);
export const VisitorHandoffBody = Type.Object(
  { email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Where to reply when the team is away: kept as an unverified claim' })) },
  { additionalProperties: false },
);
export const VisitorCsatBody = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
