import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';
import { PageQuerySchema, PaginationSchema } from '../../shared/pagination/pagination.js';

export const NOTIFICATION_KINDS = ['assigned', 'team_handoff', 'message', 'mention', 'snooze_ended'] as const;

export const NotificationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: StringEnum(NOTIFICATION_KINDS, {
    description:
      '`assigned`: a conversation was assigned to you by someone else (or by auto-assignment); `team_handoff`: a conversation was handed to a team of yours and waits for a person; `message`: the contact wrote in a conversation assigned to you (one unread notification per conversation, kept up to date); `mention`: a note @mentions you; `snooze_ended`: a snoozed conversation of yours (assigned to you, or unassigned in a team of yours) came back when its time came',
  }),
  conversation_id: Type.Union([Type.String(), Type.Null()]),
  conversation_title: Type.Union([Type.String(), Type.Null()], { description: "The conversation's title, or its contact's name when it has none" }),
  actor_name: Type.Union([Type.String(), Type.Null()], { description: 'Who did it: a member, the contact, or "Parley" for auto-assignment' }),
  preview: Type.Union([Type.String(), Type.Null()], { description: 'The first ~140 characters of the message or note (the handoff reason for a handoff)' }),
  created_at: Type.String({ format: 'date-time' }),
  read_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const UnreadCount = Type.Integer({ minimum: 0, description: "The member's unread notifications, all of them (not only this page's)" });

export const ListNotificationsQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'true: only notifications not yet read' })),
    ...PageQuerySchema,
  },
  { additionalProperties: false },
);

export const NotificationsPage = Type.Object({
  data: Type.Array(NotificationSchema),
  pagination: PaginationSchema,
  unread_count: UnreadCount,
});

export const NotificationIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ReadAllBody = Type.Object(
  {
    conversation_id: Type.Optional(
      Type.String({ format: 'uuid', description: "Only this conversation's notifications (the inbox sends it when the member opens the conversation)" }),
    ),
  },
  { additionalProperties: false },
);

export const ReadResult = Type.Object({
  data: Type.Object({
    marked: Type.Integer({ minimum: 0, description: 'How many notifications this marked read' }),
    unread_count: UnreadCount,
  }),
});

export const ReadOneResult = Type.Object({ data: NotificationSchema, unread_count: UnreadCount });
