import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { requireMember } from '../../shared/auth/guards.js';
import {
  AssignBody,
  BulkBody,
  BulkResponse,
  ConversationIdParams,
  ConversationSchema,
  ConversationTagParams,
  CountsSchema,
  CreateConversationBody,
  GetConversationQuery,
  ListConversationsQuery,
  ModeBody,
  SnoozeBody,
  TagBody,
  UpdateConversationBody,
} from './conversations.schemas.js';

export function registerConversationsRoutes(app: App, { conversations, conversationCounts, bulk, replySignals, repos }: Services): void {
  const tags = ['Conversations'];
  const one = { 200: dataOf(ConversationSchema), ...errorResponses(400, 401, 403, 404, 422) };

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'List conversations (newest first by default) with filters and search',
        querystring: ListConversationsQuery,
        response: { 200: collectionOf(ConversationSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await conversations.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/conversations/bulk',
    {
      schema: {
        tags,
        summary: 'Apply one action to up to 100 conversations, each on its own',
        description:
          'Each conversation goes through the same rules and appends the same events as its own route (`assign`, `tags`, `PATCH` for state and priority, `snooze`, `unsnooze`, `end`, `reopen`), one after the other. The answer lists a result per id in the order given: `{id, ok: true, conversation}` or `{id, ok: false, error: {code, message}}` (another account\'s or an unknown id is `NOT_FOUND`, an ended one `UNPROCESSABLE_ENTITY`…); one that fails does not undo the others. A malformed request changes nothing: more than 100 ids, repeated ids or a malformed id are 400; an unknown action or a value the action cannot take is 422.',
        body: BulkBody,
        response: { 200: BulkResponse, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => ({ data: { results: await bulk.run(request.principal, request.body) } }),
  );

  app.get(
    '/conversations/counts',
    {
      schema: {
        tags,
        summary: "How many conversations each of the inbox's views holds (members)",
        description:
          'The built-in views (`open`, `mine`, `unassigned`, `waiting`, `snoozed`, `ended`, `all`, as `GET /conversations?view=` lists them) and every saved view the member sees (`views`: `{id, count}`, by name).',
        response: { 200: dataOf(CountsSchema), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ data: await conversationCounts.counts(request.principal) }),
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a conversation (a member opening it resets its unread count)',
        params: ConversationIdParams,
        querystring: GetConversationQuery,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.get(request.principal, request.params.id, request.query.include) }),
  );

  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Start a conversation with a contact',
        body: CreateConversationBody,
        response: { 201: dataOf(ConversationSchema), ...errorResponses(400, 401, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await conversations.create(request.principal, request.body) }),
  );

  app.patch(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Update title, context, summary, score, state, priority or metadata',
        params: ConversationIdParams,
        body: UpdateConversationBody,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.update(request.principal, request.params.id, request.body) }),
  );

  app.delete(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Delete a conversation and erase every copy of it (admins and API keys)',
        description:
          'Deletes the conversation with its messages, files, mail and search entries. Its events stay in the log in sequence, with their type and ids, and their data replaced by {"redacted": true, …ids}; so do the webhook deliveries of those events. Stored answers to repeated requests, automation runs and notifications about it are deleted.',
        params: ConversationIdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await conversations.remove(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/conversations/:id/end',
    {
      schema: {
        tags,
        summary: 'End an active conversation',
        description:
          'Once ended, every new message is refused with 422, including one sent at the same moment as the end that commits after it. A reply already being written to a message accepted before the end is still stored: it answers a question asked while the conversation was open.',
        params: ConversationIdParams,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.end(request.principal, request.params.id) }),
  );

  app.post(
    '/conversations/:id/snooze',
    {
      schema: {
        tags,
        summary: 'Snooze an active conversation until a time or the contact\'s next message',
        description:
          'Hidden from the "Open" view (and its counts) and shown under "Snoozed" until `until` (ISO-8601, in the future, at most a year ahead; 400 when it is not a date-time, 422 when it is past or too far) or until the contact writes, whichever comes first. Snoozing again moves the time. Appends `conversation.snoozed`; an ended conversation is 422. Ending a conversation clears its snooze.',
        params: ConversationIdParams,
        body: SnoozeBody,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.snooze(request.principal, request.params.id, request.body.until) }),
  );

  app.post(
    '/conversations/:id/unsnooze',
    {
      schema: {
        tags,
        summary: 'Bring a snoozed conversation back now',
        description:
          'Appends `conversation.unsnoozed` with `reason: "manual"`. The same event comes with `reason: "time"` when the snooze runs out and `reason: "contact_message"` when the contact writes. A conversation that is not snoozed is answered as it is, with no event.',
        params: ConversationIdParams,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.unsnooze(request.principal, request.params.id) }),
  );

  app.post(
    '/conversations/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen an ended conversation for the team',
        description:
          'The conversation is active again (`ended_at` and `end_reason` cleared) and `conversation.reopened` is appended; one that is not ended is 422. With a team and nobody assigned it waits in the team\'s queue again. The contact\'s own API is unchanged: only the team reopens, and a message the contact sends to an ended conversation is still 422.',
        params: ConversationIdParams,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.reopen(request.principal, request.params.id) }),
  );

  app.post(
    '/conversations/:id/tags',
    { schema: { tags, summary: 'Add a tag', params: ConversationIdParams, body: TagBody, response: one } },
    async (request) => ({ data: await conversations.addTag(request.principal, request.params.id, request.body.tag) }),
  );

  app.delete(
    '/conversations/:id/tags/:tag',
    { schema: { tags, summary: 'Remove a tag', params: ConversationTagParams, response: one } },
    async (request) => ({ data: await conversations.removeTag(request.principal, request.params.id, request.params.tag) }),
  );

  app.post(
    '/conversations/:id/assign',
    {
      schema: {
        tags,
        summary: 'Assign to a member and/or hand to a team (null clears either)',
        description:
          'With a team and nobody assigned, a conversation in manual mode waits in the team\'s queue; a team that assigns by itself hands it to its online member with the fewest open conversations at once (or when one becomes free). `conversation.assigned` says who and why.',
        params: ConversationIdParams,
        body: AssignBody,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.assign(request.principal, request.params.id, request.body) }),
  );

  app.post(
    '/conversations/:id/handoff',
    {
      schema: {
        tags,
        summary: 'Hand the conversation to a person: manual mode, a summary note, routed to the default team',
        description:
          "One transaction: mode `manual`, `handoff: {at, source, reason}` (`operator` for a member, `api` for an API key), an internal note summing up the conversation, routed to its channel's or agent's default team (and auto-assigned there), the customer told what happens next, and `conversation.handoff`. A conversation already handed over is answered as it is; an ended one is 422.",
        params: ConversationIdParams,
        body: Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false }),
        response: one,
      },
    },
    async (request) => ({
      data: await conversations.handoff(request.principal, request.params.id, {
        source: request.principal.kind === 'member' ? 'operator' : request.principal.kind === 'api_key' ? 'api' : 'automation',
        reason: request.body?.reason?.trim() || null,
      }),
    }),
  );

  app.post(
    '/conversations/:id/typing',
    {
      schema: {
        tags,
        summary: 'A member is typing a reply (true) or stopped (false): shown live, not stored',
        description:
          'The widget visitor sees "<first name> is typing…", and other members get a `typing` notice on their event stream. Send `true` every few seconds while typing and `false` when done; a notice not refreshed fades after a few seconds.',
        params: ConversationIdParams,
        body: Type.Object({ typing: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'Sent' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const member = requireMember(request.principal);
      const row = await conversations.load(member, request.params.id);
      if (row.status === 'active') {
        const me = await repos.members.findById(member.accountId, member.memberId);
        replySignals.publish(member.accountId, {
          type: 'typing',
          data: { conversation_id: row.id, typing: request.body.typing, actor: { type: 'member', id: member.memberId, name: me?.name ?? null } },
        });
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/conversations/:id/mode',
    {
      schema: {
        tags,
        summary: 'Take over (manual) or hand back to the AI (ai)',
        params: ConversationIdParams,
        body: ModeBody,
        response: one,
      },
    },
    async (request) => ({ data: await conversations.setMode(request.principal, request.params.id, request.body.mode) }),
  );

  app.delete(
    '/contacts/:id/conversations',
    {
      schema: {
        tags,
        summary: 'Delete every conversation of a contact, with their messages',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await conversations.deleteForContact(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
