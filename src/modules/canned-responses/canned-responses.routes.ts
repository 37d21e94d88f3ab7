import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import {
  CannedResponseIdParams,
  CannedResponseSchema,
  CreateCannedResponseBody,
  ListCannedResponsesQuery,
  UpdateCannedResponseBody,
} from './canned-responses.schemas.js';

/** Canned responses (issue 16): members only; the workspace's are managed by admins, personal ones by their owner. */
export function registerCannedResponsesRoutes(app: App, { cannedResponses }: Services): void {
  const tags = ['Canned responses'];

  app.get(
    '/canned_responses',
    {
      schema: {
        tags,
        summary: "The workspace's canned responses and your own personal ones, by shortcut",
        querystring: ListCannedResponsesQuery,
        response: { 200: collectionOf(CannedResponseSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await cannedResponses.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/canned_responses',
    {
      schema: {
        tags,
        summary: 'Add a canned response: personal (yours) or for the workspace (admins)',
        body: CreateCannedResponseBody,
        response: { 201: dataOf(CannedResponseSchema), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await cannedResponses.create(request.principal, request.body) }),
  );

  app.patch(
    '/canned_responses/:id',
    {
      schema: {
        tags,
        summary: "Change a canned response's shortcut, title or text (a workspace one: admins; a personal one: its owner)",
        params: CannedResponseIdParams,
        body: UpdateCannedResponseBody,
        response: { 200: dataOf(CannedResponseSchema), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ data: await cannedResponses.update(request.principal, request.params.id, request.body) }),
  );

  app.delete(
    '/canned_responses/:id',
    {
      schema: {
        tags,
        summary: 'Delete a canned response (a workspace one: admins; a personal one: its owner)',
        params: CannedResponseIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await cannedResponses.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
