import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import {
  CreateWebhookBody,
  DeliveryIdParams,
  DeliverySchema,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookBody,
  WebhookIdParams,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './webhooks.schemas.js';

export function registerWebhooksRoutes(app: App, { webhooks }: Services): void {
  const tags = ['Webhooks'];

  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'List webhook endpoints, oldest first (admins and API keys)',
        querystring: ListWebhooksQuery,
        response: { 200: collectionOf(WebhookSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await webhooks.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Create a webhook endpoint; the answer shows its signing secret, once',
        description:
          'Each event is POSTed as JSON (`{id, type, created_at, data}`, as in GET /events) with the headers `Parley-Event-Id`, `Parley-Event-Type`, `Parley-Delivery-Id` and `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the secret>`. A 2xx within 10 s is success; anything else (redirects included: they are not followed) is retried with exponential backoff, 8 attempts in all. Delivery is at least once: dedupe on the event id. An endpoint whose every delivery has failed for 3 days is deactivated (a `webhook.deactivated` event says so).',
        body: CreateWebhookBody,
        response: { 201: dataOf(WebhookWithSecretSchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await webhooks.create(request.principal, request.body) }),
  );

  app.get(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a webhook endpoint',
        params: WebhookIdParams,
        response: { 200: dataOf(WebhookSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await webhooks.get(request.principal, request.params.id) }),
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Update a webhook endpoint (active: true re-enables a deactivated one)',
        params: WebhookIdParams,
        body: UpdateWebhookBody,
        response: { 200: dataOf(WebhookSchema), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ data: await webhooks.update(request.principal, request.params.id, request.body ?? {}) }),
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its deliveries',
        params: WebhookIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/rotate_secret',
    {
      schema: {
        tags,
        summary: 'Replace the signing secret; the answer shows the new one, once',
        params: WebhookIdParams,
        response: { 200: dataOf(WebhookWithSecretSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await webhooks.rotateSecret(request.principal, request.params.id) }),
  );

  app.post(
    '/webhooks/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a webhook.test event to this endpoint only; answers with its delivery',
        params: WebhookIdParams,
        response: { 202: dataOf(DeliverySchema), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(202).send({ data: await webhooks.sendTest(request.principal, request.params.id) }),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "An endpoint's deliveries, newest first",
        params: WebhookIdParams,
        querystring: ListDeliveriesQuery,
        response: { 200: collectionOf(DeliverySchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const page = await webhooks.listDeliveries(request.principal, request.params.id, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:delivery_id/retry',
    {
      schema: {
        tags,
        summary: 'Queue a delivery again, due now',
        params: DeliveryIdParams,
        response: { 202: dataOf(DeliverySchema), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ data: await webhooks.retryDelivery(request.principal, request.params.id, request.params.delivery_id) }),
  );
}
