import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';

/** Every event type Parley appends to its log; an endpoint subscribes to some of them, or to "*". */
export const EVENT_TYPES = [
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.erased',
  'conversation.created',
  'conversation.updated',
  'conversation.ended',
  'conversation.mode_changed',
  'conversation.assigned',
  'conversation.handoff',
  'conversation.snoozed',
  'conversation.unsnoozed',
  'conversation.reopened',
  'message.created',
  'message.feedback',
  'message.sent',
  'message.delivery_failed',
  'keyword.detected',
  'retention.pruned',
  'webhook.test',
  'webhook.deactivated',
] as const;

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'Where events are POSTed: http or https, not on a private network',
});
const Events = Type.Array(StringEnum([...EVENT_TYPES, '*']), {
  minItems: 1,
  maxItems: EVENT_TYPES.length + 1,
  description:
    'Event types to send, or ["*"] for every type (webhook.test is only ever sent by POST …/test). The inbox\'s conversation.handoff, conversation.snoozed, conversation.unsnoozed (with `reason`) and conversation.reopened carry the conversation like the other conversation.* events.',
});
const Description = Type.String({ maxLength: 500 });

export const WebhookSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.String(),
  active: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  deactivated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** Creation and rotation are the only answers that carry the signing secret. */
export const WebhookWithSecretSchema = Type.Intersect([
  WebhookSchema,
  Type.Object({ secret: Type.String({ description: 'The signing secret (whsec_…); shown only now' }) }),
]);

export const DeliverySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  event_id: Type.Integer(),
  event_type: Type.String(),
  status: StringEnum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  delivered_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});

export const WebhookIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const DeliveryIdParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  delivery_id: Type.String({ format: 'uuid' }),
});

export const ListWebhooksQuery = Type.Object(
  { active: Type.Optional(Type.Boolean()), ...PageQuerySchema },
  { additionalProperties: false },
);

export const ListDeliveriesQuery = Type.Object(
  { status: Type.Optional(StringEnum(DELIVERY_STATUSES)), ...PageQuerySchema },
  { additionalProperties: false },
);

export const CreateWebhookBody = Type.Object(
  {
    url: Url,
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    active: Type.Optional(Type.Boolean({ description: 'true re-enables an endpoint that was deactivated' })),
  },
  { additionalProperties: false },
);
