import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { MEMBER_ROLES, MemberSchema } from './members.schemas.js';

const Timestamp = Type.String({ format: 'date-time' });

export const InvitationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: StringEnum(MEMBER_ROLES),
  expires_at: Timestamp,
  created_at: Timestamp,
  created_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The admin who sent it' }),
});

export const CreatedInvitationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: StringEnum(MEMBER_ROLES),
  url: Type.String({ description: 'The sign-up link: shown only in this response, valid 7 days, single use' }),
  expires_at: Timestamp,
  created_at: Timestamp,
});

export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    role: StringEnum(MEMBER_ROLES),
  },
  { additionalProperties: false },
);

export const InvitationIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

// Any text: a malformed token is as unknown as a used one (404), never a 400 that tells them apart.
export const InvitationTokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const PublicInvitationSchema = Type.Object({
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: StringEnum(MEMBER_ROLES),
  workspace: Type.Object({ name: Type.String() }),
});

// Lengths are checked by the use case, so the new member reads a sentence rather than a schema error.
export const AcceptInvitationBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    password: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const AcceptedInvitationResponse = Type.Object({
  data: Type.Object({ member: MemberSchema }),
  csrf_token: Type.String({ description: 'Send as the X-CSRF-Token header on POST, PATCH, PUT and DELETE' }),
});
