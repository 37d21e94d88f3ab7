import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { CreateTeamBody, ListTeamsQuery, TeamIdParams, TeamSchema, UpdateTeamBody } from './teams.schemas.js';

/** Teams (issue 15): anyone of the account reads them; admins and API keys manage them. */
export function registerTeamsRoutes(app: App, { teams }: Services): void {
  const tags = ['Teams'];

  app.get(
    '/teams',
    {
      schema: {
        tags,
        summary: "List the account's teams, oldest first",
        querystring: ListTeamsQuery,
        response: { 200: collectionOf(TeamSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await teams.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/teams/:id',
    { schema: { tags, summary: 'Retrieve a team', params: TeamIdParams, response: { 200: dataOf(TeamSchema), ...errorResponses(400, 401, 404) } } },
    async (request) => ({ data: await teams.get(request.principal, request.params.id) }),
  );

  app.post(
    '/teams',
    {
      schema: {
        tags,
        summary: 'Create a team (admins and API keys)',
        body: CreateTeamBody,
        response: { 201: dataOf(TeamSchema), ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await teams.create(request.principal, request.body) }),
  );

  app.patch(
    '/teams/:id',
    {
      schema: {
        tags,
        summary: 'Change a team: name, members (replaced as a whole), auto-assignment, capacity (admins and API keys)',
        params: TeamIdParams,
        body: UpdateTeamBody,
        response: { 200: dataOf(TeamSchema), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({ data: await teams.update(request.principal, request.params.id, request.body) }),
  );

  app.delete(
    '/teams/:id',
    {
      schema: {
        tags,
        summary: 'Delete a team; its conversations, channels and agents keep going without one (admins and API keys)',
        params: TeamIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await teams.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
