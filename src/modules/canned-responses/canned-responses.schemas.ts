import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

export const SCOPES = ['workspace', 'personal'] as const;
export type Scope = (typeof SCOPES)[number];

// Lengths and characters are checked by the use cases, which answer in plain words; the schema
// only bounds what is read.
const Shortcut = Type.String({ maxLength: 200, description: '1–32 of a-z, 0-9, - and _; typed after `/` in the composer. Unique within its scope (per member for personal ones)' });
const Title = Type.String({ maxLength: 1000, description: 'At most 100 characters' });
const Content = Type.String({
  maxLength: 50_000,
  description:
    '1–5,000 characters. May hold `{{contact.name}}`, `{{contact.first_name}}`, `{{contact.email}}`, `{{member.name}}`, `{{member.first_name}}`, `{{conversation.id}}`, filled in by the inbox when inserted',
});

export const CannedResponseSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  shortcut: Type.String(),
  title: Type.String(),
  content: Type.String(),
  scope: StringEnum(SCOPES),
  owner_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The member a personal response belongs to; null for the workspace' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const CannedResponseIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListCannedResponsesQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words found in the shortcut, title or content' })),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const CreateCannedResponseBody = Type.Object(
  {
    shortcut: Shortcut,
    title: Type.Optional(Title),
    content: Content,
    scope: Type.Optional(StringEnum(SCOPES, { description: '`personal` (the default): yours only; `workspace`: the whole team, managed by admins' })),
  },
  { additionalProperties: false },
);

export const UpdateCannedResponseBody = Type.Object(
  {
    shortcut: Type.Optional(Shortcut),
    title: Type.Optional(Title),
    content: Type.Optional(Content),
  },
  { additionalProperties: false },
);
