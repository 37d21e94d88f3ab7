import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

const Time = (description: string) => Type.String({ maxLength: 40, description });

export const AuditLogQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Only this member's or API key's entries (their id)" })),
    action: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'Only these actions, comma-separated; `member.*` takes a whole family (e.g. `auth.sign_in_failed,member.*`)',
      }),
    ),
    since: Type.Optional(Time('On or after this time (ISO-8601)')),
    until: Type.Optional(Time('Before this time (ISO-8601)')),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = Type.Object({
    id: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    actor: Type.Object({
      type: StringEnum(['member', 'api_key', 'system', 'anonymous'] as const),
      id: Type.Union([Type.String(), Type.Null()], { description: "The member's or API key's id" }),
      name: Type.Union([Type.String(), Type.Null()], { description: "The member's email or the key's prefix at the time" }),
    }),
    action: Type.String({ description: "Dotted: 'member.created', 'auth.sign_in_failed', 'settings.updated', …" }),
    target: Type.Union([Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], {
      description: 'The record the entry is about',
    }),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description: 'What changed, never a secret; settings give `before` and `after`; `{"redacted": true}` once the person it was about is erased',
    }),
    ip: Type.Union([Type.String(), Type.Null()], { description: 'The address the request came from' }),
  },
);
