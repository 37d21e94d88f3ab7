import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../shared/auth/principal.js';
import { isAppError } from '../../shared/errors/errors.js';
import { openSse } from '../../shared/http/sse.js';
import { TAKEN_OVER } from './messages.presenters.js';
import type { MessageRow } from './messages.repository.js';
import type { MessagesUseCases, NewMessageInput } from './messages.usecases.js';

/**
 * Seed 000's streamed exchange: `message.created` (the user's message, as `present` shows it),
 * `stream.start`, `stream.delta`…, `stream.end` (with `endExtra` of the stored reply), or `error`.
 * Refusals (404, 422, blank content) are thrown before anything is streamed, so they stay JSON.
 */
export async function streamExchange(
  request: FastifyRequest,
  reply: FastifyReply,
  messages: MessagesUseCases,
  principal: Principal,
  conversationId: string,
  input: NewMessageInput,
  present: (row: MessageRow) => unknown,
  endExtra: (row: MessageRow) => Record<string, unknown> = () => ({}),
): Promise<FastifyReply> {
  const posted = await messages.postMessage(principal, conversationId, input);
  const sse = openSse(reply);
  sse.send('message.created', present(posted.userMessage));
  if (!posted.needsReply) {
    sse.end();
    return reply;
  }
  try {
    const final = await messages.generateReply(posted, {
      onStart: (m) => sse.send('stream.start', { message_id: m.id, role: 'assistant' }),
      onDelta: (delta) => sse.send('stream.delta', { delta }),
    });
    if (final) sse.send('stream.end', { message_id: final.id, content: final.content, created_at: final.created_at, ...endExtra(final) });
    else sse.send('error', { code: 'CONFLICT', message: TAKEN_OVER, details: {} });
  } catch (err) {
    request.log.error({ err, reqId: request.id }, 'streamed reply failed');
    const code = isAppError(err) ? err.code : 'INTERNAL_ERROR';
    const message = isAppError(err) ? err.message : 'AI response generation failed';
    const details = isAppError(err) ? err.details : {};
    sse.send('error', { code, message, details });
  } finally {
    sse.end();
  }
  return reply;
}
