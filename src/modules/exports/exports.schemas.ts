import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { ContactSchema } from '../contacts/contacts.schemas.js';
import { ConversationSchema } from '../conversations/conversations.schemas.js';
import { AttachmentSchema, MessageSchema } from '../messages/messages.schemas.js';

export const EXPORT_RESOURCES = ['conversations', 'contacts', 'messages'] as const;
export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export const EXPORT_STATUSES = ['pending', 'running', 'done', 'failed', 'expired'] as const;
export type ExportResource = (typeof EXPORT_RESOURCES)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

export const ExportFiltersSchema = Type.Object(
  {
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Only rows created at or after this time' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Only rows created before this time' })),
    agent_id: Type.Optional(Type.String({ format: 'uuid', description: 'Conversations (or their messages) of this agent' })),
    channel_id: Type.Optional(Type.String({ format: 'uuid', description: 'Conversations (or their messages) of this channel' })),
    status: Type.Optional(StringEnum(['active', 'ended'] as const, { description: 'Conversations (or their messages) in this status' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Conversations (or their messages) with this tag' })),
  },
  { additionalProperties: false },
);

export const CreateExportBody = Type.Object(
  {
    resource: StringEnum(EXPORT_RESOURCES),
    format: StringEnum(EXPORT_FORMATS),
    filters: Type.Optional(ExportFiltersSchema),
  },
  { additionalProperties: false },
);

export const ExportSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  resource: StringEnum(EXPORT_RESOURCES),
  format: StringEnum(EXPORT_FORMATS),
  filters: ExportFiltersSchema,
  status: StringEnum(EXPORT_STATUSES),
  row_count: Type.Integer({ description: 'Rows written so far (all of them once done)' }),
  requested_by: Type.Object({ type: StringEnum(['member', 'api_key'] as const), id: Nullable(Type.String()) }),
  download_url: Nullable(Type.String({ description: 'While done and not expired: a link that works without credentials until expires_at' })),
  error: Nullable(Type.String()),
  created_at: Timestamp,
  started_at: Nullable(Timestamp),
  completed_at: Nullable(Timestamp),
  expires_at: Nullable(Timestamp),
});

export const CreatedExportSchema = Type.Object({ id: Type.String({ format: 'uuid' }), status: Type.Literal('pending') });

export const ExportIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ListExportsQuery = Type.Object({ ...PageQuerySchema }, { additionalProperties: false });
export const DownloadQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const ContactExportQuery = Type.Object(
  { include_notes: Type.Optional(Type.Boolean({ description: 'Include internal notes (admins only; 403 otherwise)' })) },
  { additionalProperties: false },
);

const ExportedAttachment = Type.Composite([
  AttachmentSchema,
  Type.Object({ message_id: Type.Union([Type.Integer(), Type.Null()]), created_at: Timestamp }),
]);

const ExportedMail = Type.Object({
  id: Type.String(),
  direction: StringEnum(['in', 'out'] as const),
  message_id: Type.Union([Type.Integer(), Type.Null()]),
  message_id_header: Type.String(),
  subject: Nullable(Type.String()),
  from_address: Nullable(Type.String()),
  headers: Type.Array(Type.Array(Type.String())),
  original_text: Nullable(Type.String()),
  created_at: Timestamp,
});

const ExportedConversation = Type.Composite([
  ConversationSchema,
  Type.Object({
    messages: Type.Array(MessageSchema),
    attachments: Type.Array(ExportedAttachment),
    email: Type.Union([
      Type.Object({ subject: Type.String(), contact_address: Nullable(Type.String()), mails: Type.Array(ExportedMail) }),
      Type.Null(),
    ]),
  }),
]);

export const ContactExportSchema = Type.Object({
  exported_at: Timestamp,
  includes_notes: Type.Boolean(),
  contact: ContactSchema,
  conversations: Type.Array(ExportedConversation),
  feedback: Type.Array(
    Type.Object({
      conversation_id: Type.String(),
      message_id: Type.Integer(),
      rating: StringEnum(['like', 'dislike'] as const),
      comment: Nullable(Type.String()),
      created_at: Nullable(Timestamp),
    }),
  ),
  csat: Type.Array(
    Type.Object({ conversation_id: Type.String(), rating: Type.Integer(), comment: Nullable(Type.String()), at: Timestamp }),
  ),
  widget_sessions: Type.Array(
    Type.Object({ channel_id: Type.String(), verified: Type.Boolean(), created_at: Timestamp, last_seen_at: Timestamp, expires_at: Timestamp }),
  ),
});
