import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { requireMember } from '../../shared/auth/guards.js';
import { badRequest } from '../../shared/errors/errors.js';
import { collectionOf, errorResponses } from '../../shared/http/envelope.js';
import { openSse } from '../../shared/http/sse.js';
import { holdOpen } from '../../shared/http/stream-registry.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../shared/pagination/pagination.js';
import { ConversationIdParams } from '../conversations/conversations.schemas.js';


const EventSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

const EventId = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Types = Type.String({ maxLength: 500, description: 'Event types, comma-separated (e.g. message.created,conversation.ended)' });

export function registerEventsRoutes(app: App, { events, streams, replySignals, conversations, repos }: Services): void {
  const tags = ['Events'];

  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: "The account's events in commit order, after an event id",
        description:
          'To poll for new events, pass `after=` the id of the last event you have seen. `pagination.cursor` pages through the events there are now and, as in every collection, is null on the last page. Who sees what: the events of an internal note only members (never API keys, nor webhooks); `webhook.*` events, which carry the endpoint, only admins and API keys.',
        querystring: Type.Object(
          {
            after: Type.Optional(EventId),
            type: Type.Optional(Types),
            cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
          },
          { additionalProperties: false },
        ),
        response: { 200: collectionOf(EventSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await events.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/events/stream',
    {
      schema: {
        tags,
        summary: "Server-Sent Events of the account's events, resuming after Last-Event-ID",
        description:
          'Each event is sent with `id:` (the event id), `event:` (its type) and `data:` (the event as JSON). Reconnect with `Last-Event-ID` (or `?after=`) to resume with no gap and no duplicate; without either, only new events are sent. A comment line is sent every 15 s as a heartbeat. Signed-in members also get `reply.delta` (`{conversation_id, message_id, content}`: the text so far of an AI reply being written) and `reply.finished` (`{conversation_id, message_id, status}`): `typing` (`{conversation_id, typing, actor: {type, id, name}}`: a widget visitor or a member typing, from any process) and `presence` (`{conversation_id, viewing, member: {id, name}}`: a member has a conversation open, refreshed about every 15 s, or closed it; from any process): live notices with no `id:`, neither stored nor replayed, for the inbox. Who sees what: the events of an internal note only members (never API keys, nor webhooks); `webhook.*` events, which carry the endpoint, only admins and API keys.',
        querystring: Type.Object(
          { after: Type.Optional(EventId), type: Type.Optional(Types) },
          { additionalProperties: false },
        ),
        response: { ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      let after = request.query.after;
      if (typeof header === 'string' && header.trim() !== '') {
        after = Number(header.trim());
        if (!Number.isSafeInteger(after) || after < 0) throw badRequest('Invalid Last-Event-ID', { 'last-event-id': ['must be an event id'] });
      }
      if (after === undefined) after = await events.latestId(request.principal);
      const sse = openSse(reply);
      sse.comment('connected');
      const stop = events.follow(
        request.principal,
        { after, types: request.query.type },
        (event) => sse.send(event.type, event, event.id),
        () => sse.closed,
      );
      // Replies being written, for the inbox (members only: an API key's backend has its own stream
      // of the reply it asked for). No id, so they never move the client's Last-Event-ID.
      const wanted = request.query.type?.split(',').map((t) => t.trim());
      const unsubscribeSignals =
        request.principal.kind === 'member'
          ? replySignals.subscribe(request.principal.accountId, (signal) => {
              if (!wanted || wanted.includes(signal.type)) sse.send(signal.type, signal.data);
            })
          : () => {};
      holdOpen(streams, sse, { request, reply }, () => {
        unsubscribeSignals();
        stop();
      });
      return reply;
    },
  );

  app.post(
    '/conversations/:id/viewing',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'A member has the conversation open (true) or closed it (false): shown live, not stored',
        description:
          'Other members get a `presence` notice (`{conversation_id, viewing, member: {id, name}}`) on their event stream, from any process, so the inbox can say "Tom is viewing". Send `true` when the conversation opens and about every 15 s while it stays open and visible, and `false` when it closes; a notice not refreshed fades after about 40 s.',
        params: ConversationIdParams,
        body: Type.Object({ viewing: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'Sent' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const member = requireMember(request.principal);
      const row = await conversations.load(member, request.params.id);
      const me = await repos.members.findById(member.accountId, member.memberId);
      replySignals.publish(member.accountId, {
        type: 'presence',
        data: { conversation_id: row.id, viewing: request.body.viewing, member: { id: member.memberId, name: me?.name ?? null } },
      });
      return reply.code(204).send(null);
    },
  );
}
