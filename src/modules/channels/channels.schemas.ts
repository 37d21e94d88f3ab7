import { Type } from '@sinclair/typebox';
import { MetadataSchema, StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

/** Where conversations come from. */
export const CHANNEL_TYPES = ['api', 'web_widget', 'email', 'sms', 'whatsapp', 'voice'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

const ChannelTypeSchema = StringEnum(CHANNEL_TYPES);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Config = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'Channel-specific settings (at most 16 KiB as JSON, 8 levels deep); PATCH replaces it whole. A web_widget channel takes agent_id (default: the first active agent), allowed_origins (empty: any), title, greeting, accent_color (#rrggbb), position (left/right), locale (auto or a language), pre_chat {enabled, require_email, fields: [{name, label, type: text|email|select, options, required}] (at most 5)} and identity_verification (off/optional/required); the answer shows every setting with its default.',
});

export const ChannelSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: ChannelTypeSchema,
  config: MetadataSchema,
  active: Type.Boolean(),
  default_team_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The team its handed-off conversations go to' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  public_key: Type.Union([Type.String(), Type.Null()], {
    description: 'web_widget: the key the widget is loaded with (pk_live_…), safe to publish; null for other types',
  }),
  embed_snippet: Type.Union([Type.String(), Type.Null()], {
    description: 'web_widget: the HTML to paste into every page that shows the chat; null for other types',
  }),
  identity_secret: Type.Optional(
    Type.String({
      description:
        'web_widget: signs your users\' ids (hex HMAC-SHA256 of user.id); shown only on creation and on rotate_identity_secret',
    }),
  ),
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

const DefaultTeam = Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
  description: 'A team of the account: where conversations handed to a person go (null: none)',
});

export const CreateChannelBody = Type.Object(
  {
    name: Name,
    type: ChannelTypeSchema,
    config: Type.Optional(Config),
    active: Type.Optional(Type.Boolean({ default: true })),
    default_team_id: Type.Optional(DefaultTeam),
  },
  { additionalProperties: false },
);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    type: Type.Optional(ChannelTypeSchema),
    config: Type.Optional(Config),
    active: Type.Optional(Type.Boolean()),
    default_team_id: Type.Optional(DefaultTeam),
  },
  { additionalProperties: false },
);
