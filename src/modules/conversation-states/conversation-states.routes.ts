import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import {
  ConversationStateIdParams,
  ConversationStateSchema,
  CreateConversationStateBody,
  ListConversationStatesQuery,
  UpdateConversationStateBody,
} from './conversation-states.schemas.js';

export function registerConversationStatesRoutes(app: App, { conversationStates }: Services): void {
  const tags = ['Conversation states'];

  app.get(
    '/conversation_states',
    {
      schema: {
        tags,
        summary: 'List custom conversation states, oldest first',
        querystring: ListConversationStatesQuery,
        response: { 200: collectionOf(ConversationStateSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await conversationStates.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/conversation_states/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a conversation state',
        params: ConversationStateIdParams,
        response: { 200: dataOf(ConversationStateSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await conversationStates.get(request.principal, request.params.id) }),
  );

  app.post(
    '/conversation_states',
    {
      schema: {
        tags,
        summary: 'Create a conversation state (admins and API keys)',
        body: CreateConversationStateBody,
        response: { 201: dataOf(ConversationStateSchema), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ data: await conversationStates.create(request.principal, request.body) }),
  );

  app.patch(
    '/conversation_states/:id',
    {
      schema: {
        tags,
        summary: 'Update a conversation state (admins and API keys)',
        params: ConversationStateIdParams,
        body: UpdateConversationStateBody,
        response: { 200: dataOf(ConversationStateSchema), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await conversationStates.update(request.principal, request.params.id, request.body ?? {}),
    }),
  );

  app.delete(
    '/conversation_states/:id',
    {
      schema: {
        tags,
        summary: 'Delete a conversation state (admins and API keys); its conversations are left with no state',
        params: ConversationStateIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await conversationStates.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
