import { Type } from '@sinclair/typebox';
import { MetadataSchema, StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

/** Where conversations come from. */
export const CHANNEL_TYPES = ['api', 'web_widget', 'email', 'sms', 'whatsapp', 'voice'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

const ChannelTypeSchema = StringEnum(CHANNEL_TYPES);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Config = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Channel-specific settings (at most 16 KiB as JSON, 8 levels deep); PATCH replaces it whole',
});

export const ChannelSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: ChannelTypeSchema,
  config: MetadataSchema,
  active: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ChannelIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListChannelsQuery = Type.Object(
  {
    type: Type.Optional(ChannelTypeSchema),
    active: Type.Optional(Type.Boolean()),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const CreateChannelBody = Type.Object(
  {
    name: Name,
    type: ChannelTypeSchema,
    config: Type.Optional(Config),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    type: Type.Optional(ChannelTypeSchema),
    config: Type.Optional(Config),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
