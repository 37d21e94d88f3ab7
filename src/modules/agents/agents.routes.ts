import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { AgentIdParams, AgentSchema, UpdateAgentBody } from './agents.schemas.js';

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
        summary: 'Update an agent',
        params: AgentIdParams,
        body: UpdateAgentBody,
        response: { 200: dataOf(AgentSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await agents.update(request.principal, request.params.id, request.body ?? {}) }),
  );
}
