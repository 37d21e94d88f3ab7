import { Type } from '@sinclair/typebox';
import { MemberSchema, PasswordSchema } from '../members/members.schemas.js';

export const LoginBody = Type.Object(
  {
    // Not format-checked: anything that is not a member's email is the same 401 as a wrong password.
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    account_id: Type.Optional(
      Type.String({ format: 'uuid', description: 'Which workspace to sign in to, when the email belongs to several' }),
    ),
  },
  { additionalProperties: false },
);

/** `{"data": member, "csrf_token": …}`: send the token back as `X-CSRF-Token` on every state-changing request. */
export const SignedInResponse = Type.Object({
  data: MemberSchema,
  csrf_token: Type.String({ description: 'Send as the X-CSRF-Token header on POST, PATCH, PUT and DELETE' }),
});

export const ChangePasswordBody = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 1024 }),
    new_password: PasswordSchema,
  },
  { additionalProperties: false },
);
