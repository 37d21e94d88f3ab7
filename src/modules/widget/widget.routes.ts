import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { AppError, badRequest, unauthorized } from '../../shared/errors/errors.js';
import { dataOf, errorResponses } from '../../shared/http/envelope.js';
import { createRateLimiter, enforce } from '../../shared/http/rate-limit.js';
import { isVisitorToken } from './widget.secrets.js';
import {
  CreateVisitorConversationBody,
  SessionSchema,
  StartSessionBody,
  VisitorConversationParams,
  VisitorConversationSchema,
  VisitorExchangeSchema,
  VisitorFeedbackParams,
  VisitorMessageBody,
  VisitorMessageSchema,
  VisitorPageQuery,
  VisitorCsatBody,
  VisitorHandoffBody,
  VisitorReadBody,
  VisitorTypingBody,
} from './widget.schemas.js';
import { firstName } from './widget.presenters.js';
import { openSse } from '../../shared/http/sse.js';
import { holdOpen } from '../../shared/http/stream-registry.js';
import { FeedbackBody } from '../messages/messages.schemas.js';
import { collectionOf } from '../../shared/http/envelope.js';
import { streamExchange } from '../messages/messages.stream.js';

/** Sessions a single address may start or resume a minute (a page load is one). */
const SESSIONS_PER_IP_PER_MINUTE = 120;
/** Messages one visitor may send a minute: a person types far fewer. */
const MESSAGES_PER_VISITOR_PER_MINUTE = 20;
/** Other writes of one visitor a minute (typing notices, reads, ratings, new conversations). */
const ACTIONS_PER_VISITOR_PER_MINUTE = 120;
/** Conversations one visitor may start a minute. */
const CONVERSATIONS_PER_VISITOR_PER_MINUTE = 10;
/** Live streams one visitor may hold open at once (a few tabs; more is a leak or an attack). */
const STREAMS_PER_VISITOR = 10;

/** The visitor token of a widget request, or 401: API keys and inbox sessions do not open widget routes. */
export function visitorToken(request: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match || !isVisitorToken(match[1])) throw unauthorized('Widget routes take a visitor token: Authorization: Bearer vt_…');
  return match[1];
}

/** The page's origin may read the answer (set only once the origin was found allowed). */
export function allowOrigin(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

/**
 * The visitor API under /api/v1/widget (issue 14). Who may call it: anyone on the internet with a
 * channel's public key (a session) or a visitor token (the rest); browsers only from the channel's
 * allowed origins (403 and no CORS headers otherwise) or from Parley's own widget frame. What it
 * sees: its own contact's session. API keys and inbox sessions are refused (401), and the routes
 * authenticate themselves (`public`), so the account-wide authentication never runs here.
 */
export function registerWidgetRoutes(
  app: App,
  { widgetSessions, widgetConversations, widgetFeed, messages, replySignals, streams }: Services,
): void {
  const tags = ['Widget'];
  const perIp = createRateLimiter({ limit: SESSIONS_PER_IP_PER_MINUTE, windowMs: 60_000 });
  const messagesPerVisitor = createRateLimiter({ limit: MESSAGES_PER_VISITOR_PER_MINUTE, windowMs: 60_000 });
  const perVisitor = createRateLimiter({ limit: ACTIONS_PER_VISITOR_PER_MINUTE, windowMs: 60_000 });
  const conversationsPerVisitor = createRateLimiter({ limit: CONVERSATIONS_PER_VISITOR_PER_MINUTE, windowMs: 60_000 });
  const openStreams = new Map<string, number>();
  const config = { public: true };

  void (app as unknown as FastifyInstance).register(async (scope) => {
    const widget = scope as unknown as App;
    widget.addHook('onRequest', async (request) => {
      // A request carrying any other credential is a mistake or a probe: refused, never ignored.
      if (request.method !== 'OPTIONS' && request.headers.authorization !== undefined) visitorToken(request);
    });

    // A preflight names no channel, so it cannot be judged: it only lets the browser ask. The
    // request itself is checked against the channel's origins, and a refused one gets no CORS
    // headers, so the page cannot read anything.
    widget.options('/widget/*', { config, schema: { hide: true } }, async (request, reply) => {
      const origin = request.headers.origin;
      if (origin) {
        reply
          .header('access-control-allow-origin', origin)
          .header('vary', 'Origin')
          .header('access-control-allow-methods', 'GET, POST, DELETE')
          .header('access-control-allow-headers', 'authorization, content-type, last-event-id')
          .header('access-control-max-age', '600');
      }
      return reply.code(204).send();
    });

    widget.post(
      '/widget/sessions',
      {
        config,
        schema: {
          tags,
          summary: "Start or resume a widget visitor's session (201 new, 200 resumed)",
          description:
            'Called by the widget with its channel\'s `public_key`; no credential. `visitor_token` resumes this browser\'s session while it is valid (a year from its last use). `user` identifies a signed-in user of the site: with `hash` (hex HMAC-SHA256 of `user.id` under the channel\'s identity secret) and identity verification `optional` or `required`, the visitor becomes the contact whose `external_id` is `user.id` (created if absent) and the browser\'s anonymous conversations join it; an invalid hash is 401, and so is an anonymous visitor when verification is `required`. Without a valid hash, `user` fields are claims on the visitor\'s own contact (an email is kept as `claimed_email`, never matched to another contact). A page whose origin the channel does not allow gets 403.',
        body: StartSessionBody,
        response: { 200: dataOf(SessionSchema), 201: dataOf(SessionSchema), ...errorResponses(400, 401, 403, 422, 429) },
      },
      },
      async (request, reply) => {
        enforce(reply, perIp, request.ip, 'address');
        const channel = await widgetSessions.channelFor(request.body.public_key, request.headers.origin, request.host);
        allowOrigin(request, reply);
        const { created, view } = await widgetSessions.start(channel, request.body);
        return reply.code(created ? 201 : 200).send({ data: view });
      },
    );

    widget.delete(
      '/widget/sessions/current',
      {
        config,
        schema: {
          tags,
          summary: "End this visitor's session (the site's shutdown, e.g. on logout)",
          response: { 204: Type.Null({ description: 'Ended' }), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        await widgetSessions.end(visitorToken(request), request.headers.origin, request.host);
        allowOrigin(request, reply);
        return reply.code(204).send(null);
      },
    );
    /** The visitor of a request, its page's origin allowed to read the answer. */
    const visitorOf = async (request: FastifyRequest, reply: FastifyReply) => {
      const v = await widgetSessions.visitor(visitorToken(request), request.headers.origin, request.host);
      allowOrigin(request, reply);
      return v;
    };
    const visitorErrors = errorResponses(400, 401, 403, 404);

    widget.get(
      '/widget/conversations',
      {
        config,
        schema: {
          tags,
          summary: "The visitor's conversations on this widget, newest first",
          querystring: VisitorPageQuery,
          response: { 200: collectionOf(VisitorConversationSchema), ...visitorErrors },
        },
      },
      async (request, reply) => {
        const page = await widgetConversations.list(await visitorOf(request, reply), request.query);
        return { data: page.items, pagination: page.pagination };
      },
    );

    widget.post(
      '/widget/conversations',
      {
        config,
        schema: {
          tags,
          summary: 'Start a conversation with the widget\'s agent (the pre-chat form\'s answers checked first)',
          body: CreateVisitorConversationBody,
          response: { 201: dataOf(VisitorConversationSchema), ...errorResponses(400, 401, 403, 422) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, conversationsPerVisitor, v.session.id, 'visitor');
        const view = await widgetConversations.create(v, request.body ?? {}, {
          userAgent: request.headers['user-agent'],
          acceptLanguage: request.headers['accept-language'],
        });
        return reply.code(201).send({ data: view });
      },
    );

    widget.get(
      '/widget/conversations/:id/messages',
      {
        config,
        schema: {
          tags,
          summary: 'The messages of one of the visitor\'s conversations, oldest first (never the team\'s notes)',
          params: VisitorConversationParams,
          querystring: VisitorPageQuery,
          response: { 200: collectionOf(VisitorMessageSchema), ...visitorErrors },
        },
      },
      async (request, reply) => {
        const page = await widgetConversations.listMessages(await visitorOf(request, reply), request.params.id, request.query);
        return { data: page.items, pagination: page.pagination };
      },
    );

    widget.post(
      '/widget/conversations/:id/messages',
      {
        config,
        schema: {
          tags,
          summary: "Send the visitor's message; the agent's reply as JSON, or streamed with stream: true (seed 000's events)",
          description:
            'With `stream: true`: `message.created`, `stream.start`, `stream.delta`…, `stream.end` (`{message_id, content, created_at, sources}`), or `error`. Once a person has taken over, no AI reply follows (`assistant_message: null`).',
          params: VisitorConversationParams,
          body: VisitorMessageBody,
          response: { 201: dataOf(VisitorExchangeSchema), ...errorResponses(400, 401, 403, 404, 422, 500) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, messagesPerVisitor, v.session.id, 'visitor');
        const { id } = request.params;
        const input = { content: request.body.content, attachment_ids: request.body.attachment_ids };
        if (!request.body.stream) return reply.code(201).send({ data: await widgetConversations.send(v, id, input) });
        const { principal, present } = await widgetConversations.streaming(v, id);
        // The answer is taken over from Fastify: the CORS header goes on the raw response.
        const origin = reply.getHeader('access-control-allow-origin');
        if (typeof origin === 'string') reply.raw.setHeader('access-control-allow-origin', origin);
        return streamExchange(request, reply, messages, principal, id, input, present, (row) => ({
          sources: present(row).sources,
        }));
      },
    );

    widget.post(
      '/widget/conversations/:id/messages/:message_id/feedback',
      {
        config,
        schema: {
          tags,
          summary: 'Rate a reply: like, dislike, or null to clear',
          params: VisitorFeedbackParams,
          body: FeedbackBody,
          response: { 200: dataOf(VisitorMessageSchema), ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, perVisitor, v.session.id, 'visitor');
        return { data: await widgetConversations.feedback(v, request.params.id, request.params.message_id, request.body) };
      },
    );

    widget.get(
      '/widget/conversations/:id/stream',
      {
        config,
        schema: {
          tags,
          summary: "Server-Sent Events of one of the visitor's conversations, resuming after Last-Event-ID",
          description:
            "Logged events carry `id:` (resume with `Last-Event-ID` for no gap and no duplicate; without it only new events are sent): `message.created` (the message as the visitor sees it: the visitor's own, the agent's and operators' replies, never notes), `conversation.updated` (the conversation after any change: handed off, ended, rated), `read` (`{reader, message_id}`: `team` once an operator has read the visitor's messages). Live notices with no id: `reply.delta` (`{message_id, content}`: the agent's reply so far) and `typing` (`{typing, name}`: an operator, by first name). A comment every 15 s keeps the connection open. Across processes on PostgreSQL, what any process did arrives here.",
          params: VisitorConversationParams,
          response: { ...visitorErrors, ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        const { id } = request.params;
        await widgetConversations.own(v, id);
        const header = request.headers['last-event-id'];
        let after: number | null = null;
        if (typeof header === 'string' && header.trim() !== '') {
          after = Number(header.trim());
          if (!Number.isSafeInteger(after) || after < 0) throw badRequest('Invalid Last-Event-ID', { 'last-event-id': ['must be an event id'] });
        }
        const sessionId = v.session.id;
        const held = openStreams.get(sessionId) ?? 0;
        if (held >= STREAMS_PER_VISITOR) {
          throw new AppError('RATE_LIMITED', `At most ${STREAMS_PER_VISITOR} live streams per visitor at once; close one first`, { retry_after: 5 });
        }
        openStreams.set(sessionId, held + 1);
        const origin = reply.getHeader('access-control-allow-origin');
        if (typeof origin === 'string') {
          reply.raw.setHeader('access-control-allow-origin', origin);
          reply.raw.setHeader('vary', 'Origin');
        }
        const sse = openSse(reply);
        sse.comment('connected');
        const accountId = v.session.account_id;
        // Each event is turned into the visitor's view (a read or two) one after another, in log order.
        let chain = Promise.resolve();
        const stopFeed = widgetFeed.subscribe(accountId, id, after, (row) => {
          chain = chain
            .then(() => widgetConversations.liveEvent(v, id, row))
            .then((live) => {
              if (live) sse.send(live.event, live.data, row.id);
            })
            .catch(() => {
              // The row could not be read now: the visitor sees the change on the next one or a reload.
            });
        });
        const stopSignals = replySignals.subscribeConversation(accountId, id, (signal) => {
          if (signal.type === 'reply.delta' && signal.data.message_id !== null) {
            sse.send('reply.delta', { message_id: signal.data.message_id, content: signal.data.content ?? '' });
          } else if (signal.type === 'typing' && signal.data.actor.type === 'member') {
            sse.send('typing', { typing: signal.data.typing, name: signal.data.actor.name ? firstName(signal.data.actor.name) : null });
          }
        });
        holdOpen(streams, sse, { request, reply }, () => {
          stopFeed();
          stopSignals();
          const left = (openStreams.get(sessionId) ?? 1) - 1;
          if (left > 0) openStreams.set(sessionId, left);
          else openStreams.delete(sessionId);
        });
        return reply;
      },
    );

    widget.post(
      '/widget/conversations/:id/typing',
      {
        config,
        schema: {
          tags,
          summary: 'The visitor is typing (true) or stopped (false): shown live to the team, not stored',
          params: VisitorConversationParams,
          body: VisitorTypingBody,
          response: { 204: Type.Null({ description: 'Sent' }), ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, perVisitor, v.session.id, 'visitor');
        await widgetConversations.typing(v, request.params.id, request.body.typing);
        return reply.code(204).send(null);
      },
    );

    widget.post(
      '/widget/conversations/:id/read',
      {
        config,
        schema: {
          tags,
          summary: 'The visitor has seen the conversation up to this message (shown to the team)',
          params: VisitorConversationParams,
          body: VisitorReadBody,
          response: { 204: Type.Null({ description: 'Recorded' }), ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, perVisitor, v.session.id, 'visitor');
        await widgetConversations.read(v, request.params.id, request.body.message_id);
        return reply.code(204).send(null);
      },
    );

    widget.post(
      '/widget/conversations/:id/handoff',
      {
        config,
        schema: {
          tags,
          summary: '"Talk to a person": hand the conversation to the team',
          description:
            'The conversation goes to `manual` mode (the AI stops answering), with `handoff: {at, source: "visitor", reason}`, and waits for a person in the inbox. `email` (when the team is away) is where the visitor wants the answer: kept on the contact as an unverified claim. Handing off again changes nothing. An ended conversation is 422.',
          params: VisitorConversationParams,
          body: VisitorHandoffBody,
          response: { 200: dataOf(VisitorConversationSchema), ...errorResponses(400, 401, 403, 404, 422, 429) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, perVisitor, v.session.id, 'visitor');
        return { data: await widgetConversations.handoff(v, request.params.id, request.body ?? {}) };
      },
    );

    widget.post(
      '/widget/conversations/:id/csat',
      {
        config,
        schema: {
          tags,
          summary: 'Rate an ended conversation, 1 to 5, with an optional comment (once: a second answer is 409)',
          params: VisitorConversationParams,
          body: VisitorCsatBody,
          response: { 200: dataOf(VisitorConversationSchema), ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const v = await visitorOf(request, reply);
        enforce(reply, perVisitor, v.session.id, 'visitor');
        return { data: await widgetConversations.rate(v, request.params.id, request.body) };
      },
    );
  });
}
