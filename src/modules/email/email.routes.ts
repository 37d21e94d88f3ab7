import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { AppError } from '../../shared/errors/errors.js';
import { dataOf, errorResponses } from '../../shared/http/envelope.js';
import { createRateLimiter } from '../auth/auth.rate-limit.js';
import type { ChannelRow } from '../channels/channels.repository.js';
import { ChannelIdParams } from '../channels/channels.schemas.js';
import { MessageParams } from '../messages/messages.schemas.js';
import { InboundResultSchema, MessageEmailSchema } from './email.schemas.js';

/** A forwarded mail with its attachments (25 MB each by default, base64 adds a third). */
export const INBOUND_BODY_LIMIT = 40 * 1024 * 1024;
/** Failed inbound tokens per IP address before it must wait: guessing a token is not worth trying. */
const TOKEN_FAILURES_PER_IP = 20;
const TOKEN_FAILURE_WINDOW_MS = 10 * 60_000;

const RFC822 = /^message\/rfc822\s*(;|$)/i;

/**
 * Email's own routes: forwarded raw mail in, and a message's mail (headers, full text) for members.
 */
export function registerEmailRoutes(app: App, { email, emailInbound }: Services): void {
  const tags = ['Email'];
  const tokenFailures = createRateLimiter({ limit: TOKEN_FAILURES_PER_IP, windowMs: TOKEN_FAILURE_WINDOW_MS });
  /** The channel each inbound request's token proved, from its onRequest check to its handler. */
  const proven = new WeakMap<FastifyRequest, ChannelRow>();

  void (app as unknown as FastifyInstance).register(async (scope) => {
    const inbound = scope as unknown as App;
    // Every body is read as bytes here, so the route itself answers a wrong type (415), after the token.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: INBOUND_BODY_LIMIT }, (_request, body, done) => done(null, body));

    /**
     * PUBLIC: for mail providers that forward received mail to a URL. Who may call it: whoever holds
     * the channel's inbound token (shown once to the channel's admins), in `X-Parley-Inbound-Token`.
     * What it may see: nothing but the outcome for this one mail (its status and the ids it made).
     * A missing or wrong token and an unknown channel are the same 404, so it never tells which
     * channels exist; an address that keeps guessing is made to wait (429).
     */
    inbound.post(
      '/channels/:id/inbound',
      {
        config: { public: true },
        bodyLimit: INBOUND_BODY_LIMIT,
        onRequest: async (request: FastifyRequest, reply) => {
          const wait = tokenFailures.retryAfter(request.ip);
          if (wait > 0) {
            reply.header('retry-after', String(wait));
            throw new AppError('RATE_LIMITED', `Too many failed inbound tokens from this address; retry in ${wait} s`, { retry_after: wait });
          }
          const { id } = request.params as { id: string };
          const token = request.headers['x-parley-inbound-token'];
          try {
            proven.set(request, await email.inboundChannel(id, typeof token === 'string' ? token : undefined));
          } catch (err) {
            if (err instanceof AppError && err.status === 404) tokenFailures.fail(request.ip);
            throw err;
          }
        },
        schema: {
          tags,
          summary: 'Receive a forwarded mail (raw RFC 5322) in an email channel',
          description:
            'For providers that forward mail to a URL. Authenticated by the channel\'s inbound token in `X-Parley-Inbound-Token` (no API key). The body is the raw mail with `Content-Type: message/rfc822`. The same Message-ID is imported once (`duplicate` after).',
          security: [],
          params: ChannelIdParams,
          headers: Type.Object({ 'x-parley-inbound-token': Type.Optional(Type.String({ maxLength: 200 })) }),
          response: { 202: dataOf(InboundResultSchema), ...errorResponses(400, 404, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        const type = request.headers['content-type'] ?? '';
        if (!RFC822.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the raw mail with Content-Type: message/rfc822');
        const channel = proven.get(request as unknown as FastifyRequest);
        if (!channel) throw new AppError('NOT_FOUND', 'Channel not found');
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await emailInbound.receiveRaw(channel, body, 'forward');
        return reply.code(202).send({ data: result });
      },
    );
  });

  app.get(
    '/conversations/:conversation_id/messages/:message_id/email',
    {
      schema: {
        tags,
        summary: "A message's email: its headers and full text (members)",
        description: 'The mail a message was received or sent as, with every header and the text before the quoted reply and signature were stripped. 404 when the message was not an email.',
        params: MessageParams,
        response: { 200: dataOf(MessageEmailSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await email.messageEmail(request.principal, request.params.conversation_id, request.params.message_id) }),
  );
}
