import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';

export const MEMBER_ROLES = ['admin', 'agent'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Long enough to be worth guessing against, short enough that hashing cannot be used to burn CPU. */
export const PasswordSchema = Type.String({ minLength: 8, maxLength: 1024 });

export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export const AvailabilitySchema = StringEnum(AVAILABILITIES, {
  description: "online (only while the member's inbox keeps saying so), away or offline",
});
export const AvailabilityBody = Type.Object({ availability: StringEnum(AVAILABILITIES) }, { additionalProperties: false });

export const MemberSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: StringEnum(MEMBER_ROLES),
  availability: AvailabilitySchema,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const MemberIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CreateMemberBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    role: StringEnum(MEMBER_ROLES),
    password: PasswordSchema,
  },
  { additionalProperties: false },
);

export const ChangeRoleBody = Type.Object({ role: StringEnum(MEMBER_ROLES) }, { additionalProperties: false });
