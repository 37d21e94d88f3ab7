import { Type } from '@sinclair/typebox';
import { MetadataSchema } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const Profile = {
  first_name: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  last_name: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 40, pattern: '^[0-9+()./ -]*$' }), Type.Null()])),
  avatar_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000, format: 'uri', pattern: '^https?://' }), Type.Null()])),
  organization_name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  external_id: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
};
export type ProfileInput = { [K in keyof typeof Profile]?: string | null };

export const ContactSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    guest: Type.Boolean(),
    metadata: MetadataSchema,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    first_name: NullableString,
    last_name: NullableString,
    phone: NullableString,
    avatar_url: NullableString,
    organization_name: NullableString,
    external_id: NullableString,
    claimed_email: Type.Union([Type.String(), Type.Null()], {
      description: 'An email the visitor typed into the chat widget: unverified, a claim and never an identity',
    }),
  },
);

const Email = Type.String({ format: 'email', maxLength: 254, description: 'Matched case-insensitively' });
const Name = Type.String({ maxLength: 200 });
const Metadata = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Deep-merged into the existing metadata; a null value removes the key',
});

export const ContactIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const ListContactsQuery = Type.Object(
  {
    email: Type.Optional(Type.String({ maxLength: 254 })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Search name, email, phone, organisation' })),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const CreateContactBody = Type.Object(
  {
    // null as seed 000 shows a guest's email: the same as leaving it out.
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    metadata: Type.Optional(Metadata),
    ...Profile,
  },
  { additionalProperties: false },
);

export const UpdateContactBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    metadata: Type.Optional(Metadata),
    ...Profile,
  },
  { additionalProperties: false },
);

export const FindOrCreateResponse = Type.Object({ data: ContactSchema, created: Type.Boolean() });
