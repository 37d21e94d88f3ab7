import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { requireAdmin, requireAdminOrKey } from '../../shared/auth/guards.js';
import { AgentIdParams, AgentSchema, CreateAgentBody, UpdateAgentBody } from './agents.schemas.js';

export function registerAgentsRoutes(app: App, { agents }: Services): void {
  const tags = ['Agents'];

  app.get(
    '/agents',
    {
      schema: {
        tags,
        summary: 'List agents (an API key sees its own agent)',
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: { 200: collectionOf(AgentSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await agents.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/agents',
    {
      schema: {
        tags,
        summary: 'Create an agent (admin)',
        body: CreateAgentBody,
        response: { 201: dataOf(AgentSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal);
      return reply.code(201).send({ data: await agents.create(request.principal, request.body) });
    },
  );

  app.get(
    '/agents/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve an agent',
        params: AgentIdParams,
        response: { 200: dataOf(AgentSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await agents.get(request.principal, request.params.id) }),
  );

  app.patch(
    '/agents/:id',
    {
      schema: {
        tags,
        summary: "Update an agent (admin, or the agent's own API key)",
        params: AgentIdParams,
        body: UpdateAgentBody,
        response: { 200: dataOf(AgentSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      // Members with role `agent` may read agents but not change them.
      requireAdminOrKey(request.principal);
      return { data: await agents.update(request.principal, request.params.id, request.body ?? {}) };
    },
  );
}
