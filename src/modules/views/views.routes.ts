import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { CreateViewBody, UpdateViewBody, ViewIdParams, ViewSchema } from './views.schemas.js';

/** Saved views of the inbox (issue 16): members only. */
export function registerViewsRoutes(app: App, { views }: Services): void {
  const tags = ['Views'];
  const one = { 200: dataOf(ViewSchema), ...errorResponses(400, 401, 403, 404, 422) };

  app.get(
    '/views',
    {
      schema: {
        tags,
        summary: "List the member's personal views and the workspace's shared ones, by name",
        description: 'Members only. Each view is a named set of `GET /conversations` filters; `GET /conversations/counts` counts them.',
        response: { 200: collectionOf(ViewSchema), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ data: await views.list(request.principal), pagination: { cursor: null, has_more: false } }),
  );

  app.post(
    '/views',
    {
      schema: {
        tags,
        summary: 'Save a view: a name and list filters, personal (default) or shared with the workspace',
        description:
          '`filters` takes the list filters by their `GET /conversations` names: status, assignee_id (a member id, "me" or "unassigned"), team_id, channel_id, channel_type, agent_id, tag, state_id, priority, mode, waiting, snoozed, q. A member saves up to 50 views.',
        body: CreateViewBody,
        response: { 201: dataOf(ViewSchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await views.create(request.principal, request.body) }),
  );

  app.get(
    '/views/:id',
    { schema: { tags, summary: 'Retrieve a view (a personal view is its owner\'s alone)', params: ViewIdParams, response: one } },
    async (request) => ({ data: await views.get(request.principal, request.params.id) }),
  );

  app.patch(
    '/views/:id',
    {
      schema: {
        tags,
        summary: 'Rename a view, change its filters (replaced whole) or who sees it',
        description:
          "A personal view is its owner's alone (404 to others). A shared view is changed by its owner or an admin (403 to other members); only the owner changes its scope.",
        params: ViewIdParams,
        body: UpdateViewBody,
        response: one,
      },
    },
    async (request) => ({ data: await views.update(request.principal, request.params.id, request.body) }),
  );

  app.delete(
    '/views/:id',
    {
      schema: {
        tags,
        summary: 'Delete a view (its owner, or an admin for a shared view)',
        params: ViewIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await views.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
