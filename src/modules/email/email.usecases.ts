import { timingSafeEqual, createHash } from 'node:crypto';
import type { Principal } from '../../shared/auth/principal.js';
import { requireMember } from '../../shared/auth/guards.js';
import { notFound, unprocessable } from '../../shared/errors/errors.js';
import { parseJsonArray } from '../../shared/json/json.js';
import type { ChannelRow } from '../channels/channels.repository.js';
import type { MessagesUseCases } from '../messages/messages.usecases.js';
import type { EmailInboundRepository } from './email.inbound.repository.js';
import type { EmailRepository } from './email.repository.js';
import { UUID_PATTERN as UUID } from '../../shared/ids.js';

/** A message's mail as members see it: its headers and the full text before quotes were stripped. */
export interface MessageEmailView {
  direction: 'in' | 'out';
  message_id_header: string;
  subject: string | null;
  from: string | null;
  disposition: string;
  headers: Array<[string, string]>;
  original_text: string | null;
  created_at: string;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The raw-mail route's channel check and the members' view of a message's mail. */
export function createEmailUseCases({ messages, email, inbound }: { messages: MessagesUseCases; email: EmailRepository; inbound: EmailInboundRepository }) {
  return {
    /**
     * The email channel a forwarded mail is posted to, proven by its inbound token (compared as
     * SHA-256 digests in constant time). An unknown channel and a wrong token are the same 404, so
     * the route never tells which channels exist; a right token for an inactive or non-email
     * channel is a 422.
     */
    async inboundChannel(channelId: string, token: string | undefined): Promise<ChannelRow> {
      // Checked before the route's own validation runs (the token is read on request): anything
      // but a channel id is simply no channel, and never reaches the database.
      const channel = UUID.test(channelId) ? await inbound.channelById(channelId) : undefined;
      const stored = channel?.inbound_token_hash ? Buffer.from(channel.inbound_token_hash, 'hex') : null;
      const given = sha256(token ?? '');
      const matches = stored !== null && stored.length === given.length && timingSafeEqual(stored, given);
      if (!channel || !token || !matches) throw notFound('channel');
      if (channel.type !== 'email') throw unprocessable('This channel does not receive mail', { type: ['is not email'] });
      if (channel.active !== 1) throw unprocessable('The channel is inactive', { active: ['is false'] });
      return channel;
    },

    /** The mail a message was received or sent as (members only; 404 when it was not an email). */
    async messageEmail(principal: Principal, conversationId: string, messageId: number): Promise<MessageEmailView> {
      requireMember(principal);
      const message = await messages.get(principal, conversationId, messageId);
      const row = await email.findByMessage(principal.accountId, message.id);
      if (!row || row.conversation_id !== conversationId) throw notFound('email');
      return {
        direction: row.direction,
        message_id_header: row.message_id_header,
        subject: row.subject,
        from: row.from_address,
        disposition: row.disposition,
        headers: parseJsonArray<[string, string]>(row.headers).filter((h) => Array.isArray(h) && h.length === 2).map(([n, v]) => [String(n), String(v)]),
        original_text: row.original_text,
        created_at: row.created_at,
      };
    },
  };
}

export type EmailUseCases = ReturnType<typeof createEmailUseCases>;
