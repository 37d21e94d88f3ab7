import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../shared/http/envelope.js';

export const InboundResultSchema = Type.Object(
  {
    status: StringEnum(['imported', 'duplicate', 'no_reply', 'bounce', 'rate_limited'] as const, {
      description:
        '`imported`: a message (answered in `ai` mode); `duplicate`: this Message-ID was already received; `no_reply`: stored without an AI reply (an automatic mail, or the channel\'s own); `bounce`: a delivery failure notice, recorded against the message it returns; `rate_limited`: stored without an AI reply (5 per contact per hour)',
    }),
    conversation_id: Type.Optional(Type.String({ format: 'uuid' })),
    message_id: Type.Optional(Type.Integer()),
  },
  { $id: 'InboundMailResult' },
);

export const MessageEmailSchema = Type.Object(
  {
    direction: StringEnum(['in', 'out'] as const),
    message_id_header: Type.String({ description: 'The Message-ID, without angle brackets' }),
    subject: Type.Union([Type.String(), Type.Null()]),
    from: Type.Union([Type.String(), Type.Null()]),
    disposition: Type.String({ description: 'imported, no_reply, rate_limited, sent…' }),
    headers: Type.Array(Type.Tuple([Type.String(), Type.String()]), { description: '[[name, value], …] as received or sent' }),
    original_text: Type.Union([Type.String(), Type.Null()], { description: 'The full text, before the quoted reply and signature were stripped' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'MessageEmail' },
);
