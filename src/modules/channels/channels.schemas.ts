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
    'Channel-specific settings (at most 16 KiB as JSON, 8 levels deep); PATCH replaces it whole. A web_widget channel takes agent_id (default: the first active agent), allowed_origins (empty: any), title, greeting, accent_color (#rrggbb), position (left/right), locale (auto or a language), pre_chat {enabled, require_email, fields: [{name, label, type: text|email|select, options, required}] (at most 5)} and identity_verification (off/optional/required); the answer shows every setting with its default. An email channel takes address (support@shop.example; replies come back to its local+token@domain), from_name (the name AI replies are sent as; default: the workspace\'s), smtp {host, port (1–65535; default 465 when secure, else 587), secure (TLS from the start; default: port 465), user, password} optionally imap {host, port, secure, user, password, mailbox (default INBOX)}, and agent_id (the agent that answers its mail; null: the first active agent); passwords are write-only: never shown (password_set tells whether one is stored), kept when an update leaves them out and names the same host and user.',
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
  status: Type.Object(
    {
      state: Type.Union([StringEnum(['connected', 'failing']), Type.Null()], {
        description: 'Whether the channel last worked: connected, failing, or null when it has not been used yet',
      }),
      last_error: Type.Union([Type.String(), Type.Null()], { description: 'The last error, kept after the channel works again' }),
      last_error_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      checked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the channel was last used' }),
    },
    { description: "How the channel's last sends (and reads) went, for admins" },
  ),
  inbound_token: Type.Optional(
    Type.String({
      description:
        'email: the token forwarded mail is posted with (X-Parley-Inbound-Token on POST /channels/{id}/inbound); shown only on creation and on rotate_inbound_token',
    }),
  ),
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
