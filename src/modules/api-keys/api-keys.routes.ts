import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { requireAdmin } from '../../shared/auth/guards.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { AgentKeyParams, AgentKeysParams, ApiKeySchema, CreateApiKeyBody, CreatedApiKeySchema } from './api-keys.schemas.js';

/** An agent's API keys, managed by admins from the inbox; a key cannot mint or revoke keys. */
export function registerApiKeysRoutes(app: App, { apiKeys }: Services): void {
  const tags = ['API keys'];

  app.get(
    '/agents/:id/keys',
    {
      schema: {
        tags,
        summary: "List an agent's API keys, revoked ones included (admin)",
        params: AgentKeysParams,
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: { 200: collectionOf(ApiKeySchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const admin = requireAdmin(request.principal);
      const page = await apiKeys.list(admin.accountId, request.params.id, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/agents/:id/keys',
    {
      // The secret is shown once and stored only as a hash, so no response copy may be kept for a replay.
      config: { idempotency: false },
      schema: {
        tags,
        summary: 'Create an API key for an agent; the secret is shown only in this response (admin)',
        params: AgentKeysParams,
        body: CreateApiKeyBody,
        response: { 201: dataOf(CreatedApiKeySchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request.principal);
      const key = await apiKeys.create(admin.accountId, request.params.id, request.body);
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ data: key });
    },
  );

  app.delete(
    '/agents/:id/keys/:key_id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key at once (admin)',
        params: AgentKeyParams,
        response: { 204: Type.Null({ description: 'Revoked' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request.principal);
      await apiKeys.revokeById(admin.accountId, request.params.id, request.params.key_id);
      return reply.code(204).send(null);
    },
  );
}
