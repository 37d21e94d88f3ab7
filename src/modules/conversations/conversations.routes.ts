import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import {
  ConversationIdParams,
  ConversationSchema,
  CreateConversationBody,
  ListConversationsQuery,
} from './conversations.schemas.js';

export function registerConversationsRoutes(app: App, { conversations }: Services): void {
  const tags = ['Conversations'];

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'List conversations, newest first',
        querystring: ListConversationsQuery,
        response: { 200: collectionOf(ConversationSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await conversations.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a conversation',
        params: ConversationIdParams,
        response: { 200: dataOf(ConversationSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await conversations.get(request.principal, request.params.id) }),
  );

  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: "Start a conversation between the key's agent and a contact",
        body: CreateConversationBody,
        response: { 201: dataOf(ConversationSchema), ...errorResponses(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const data = await conversations.create(request.principal, request.body);
      return reply.code(201).send({ data });
    },
  );

  app.post(
    '/conversations/:id/end',
    {
      schema: {
        tags,
        summary: 'End an active conversation',
        params: ConversationIdParams,
        response: { 200: dataOf(ConversationSchema), ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => ({ data: await conversations.end(request.principal, request.params.id) }),
  );
}
