import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Principal } from './shared/auth/principal.js';
import { registerErrorHandling } from './shared/http/error-handler.js';
import { ErrorEnvelope } from './shared/http/envelope.js';
import { registerJsonBodyParser } from './shared/http/json-body.js';
import { registerValidators } from './shared/http/validation.js';
import { registerWebApp } from './shared/http/web-app.js';
import { openapiOptions } from './shared/http/openapi.js';
import { handleClientError } from './shared/http/oversized.js';
import { registerMetrics } from './modules/metrics/metrics.routes.js';
import type { MetricsConfig } from './shared/config/config.js';
import { lazySerializerFactory } from './shared/http/lazy-serializer.js';
import { createRateLimiter, enforce } from './shared/http/rate-limit.js';
import { badRequest } from './shared/errors/errors.js';
import type { Services } from './services.js';
import { registerAgentsRoutes } from './modules/agents/agents.routes.js';
import { registerContactsRoutes } from './modules/contacts/contacts.routes.js';
import { registerConversationsRoutes } from './modules/conversations/conversations.routes.js';
import { registerMessagesRoutes } from './modules/messages/messages.routes.js';
import { registerEventsRoutes } from './modules/events/events.routes.js';
import { registerKnowledgeRoutes } from './modules/knowledge/knowledge.routes.js';
import { registerAuthRoutes } from './modules/auth/auth.routes.js';
import { registerMembersRoutes } from './modules/members/members.routes.js';
import { registerInvitationsRoutes } from './modules/members/invitations.routes.js';
import { registerApiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { registerSettingsRoutes } from './modules/accounts/settings.routes.js';
import { registerChannelsRoutes } from './modules/channels/channels.routes.js';
import { registerConversationStatesRoutes } from './modules/conversation-states/conversation-states.routes.js';
import { registerAnalyticsRoutes } from './modules/analytics/analytics.routes.js';
import { registerIdempotency } from './modules/idempotency/idempotency.hooks.js';
import { registerAutomationsRoutes } from './modules/automations/automations.routes.js';
import { registerWebhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { registerWidgetRoutes } from './modules/widget/widget.routes.js';
import { registerTeamsRoutes } from './modules/teams/teams.routes.js';
import { registerViewsRoutes } from './modules/views/views.routes.js';
import { registerNotificationsRoutes } from './modules/notifications/notifications.routes.js';
import { registerCannedResponsesRoutes } from './modules/canned-responses/canned-responses.routes.js';
import { registerAttachmentsRoutes } from './modules/attachments/attachments.routes.js';
import { registerEmailRoutes } from './modules/email/email.routes.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import { registerAudit } from './modules/audit/audit.hooks.js';
import { registerExportsRoutes } from './modules/exports/exports.routes.js';
import { registerWidgetAssets } from './modules/widget/widget.assets.js';
import { widgetConfigOf } from './modules/widget/widget.config.js';
import { embedSnippet } from './modules/channels/channels.presenters.js';
import { parseJsonObject } from './shared/json/json.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates itself (e.g. login); the /api/v1 hook lets it through. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Set by the authentication hook on every /api/v1 route. */
    principal: Principal;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AppOptions {
  services: Services;
  /** Requests per minute per API key / member and per IP (0 or absent: no limit). */
  rateLimits?: { perKey: number; perIp: number };
  logger?: boolean | { level: string };
  bodyLimitBytes?: number;
  /** GET /metrics: with a token it is served here; with either, requests are counted (default: off). */
  metrics?: Pick<MetricsConfig, 'token' | 'host'>;
}

/** Every route module, registered explicitly, in one list. */
const ROUTE_MODULES = [
  registerAuthRoutes,
  registerMembersRoutes,
  registerInvitationsRoutes,
  registerAgentsRoutes,
  registerApiKeysRoutes,
  registerKnowledgeRoutes,
  registerContactsRoutes,
  registerConversationsRoutes,
  registerMessagesRoutes,
  registerEventsRoutes,
  registerSettingsRoutes,
  registerChannelsRoutes,
  registerConversationStatesRoutes,
  registerAnalyticsRoutes,
  registerAutomationsRoutes,
  registerWebhooksRoutes,
  registerWidgetRoutes,
  registerTeamsRoutes,
  registerViewsRoutes,
  registerNotificationsRoutes,
  registerCannedResponsesRoutes,
  registerAttachmentsRoutes,
  registerEmailRoutes,
  registerAuditRoutes,
  registerExportsRoutes,
];

/** Builds the Fastify app from its dependencies; the server and the tests both use this. */
export async function buildApp({
  services,
  logger = false,
  bodyLimitBytes = 1024 * 1024,
  rateLimits = { perKey: 0, perIp: 0 },
  metrics = { token: null, host: null },
}: AppOptions): Promise<App> {
  const perIp = createRateLimiter({ limit: rateLimits.perIp, windowMs: 60_000 });
  const perKey = createRateLimiter({ limit: rateLimits.perKey, windowMs: 60_000 });
  const app = Fastify({
    logger: logger === false ? false : { level: logger === true ? 'info' : logger.level },
    bodyLimit: bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // Errors the router raises before any route runs (a malformed URL, an over-long path
    // parameter) still answer in the envelope.
    frameworkErrors: (error, _request, reply) => {
      void (reply as unknown as FastifyReply)
        .code(400)
        .send({ error: { code: 'BAD_REQUEST', message: error.message, details: {} } });
    },
    // Headers or a URL over Node's header size limit, and requests it cannot parse: the envelope too.
    clientErrorHandler: (err, socket) => handleClientError(err, socket, (status) => services.metrics.observeRequest('', 'unparsed', status, 0)),
    ajv: { customOptions: { strict: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidators(app);
  registerJsonBodyParser(app);
  registerErrorHandling(app);
  app.addSchema(ErrorEnvelope);
  registerMetrics(app as unknown as FastifyInstance, services.metrics, metrics);

  app.addHook('onRequest', async (request, reply) => {
    // nosniff: a browser takes every answer as the type it is sent with (JSON stays JSON).
    reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) enforce(reply, perIp, request.ip, 'address');
  });
  // Endless streams would hold a graceful close open forever: end them first.
  app.addHook('preClose', async () => services.streams.closeAll());
  // Path and query values reach SQL as text; PostgreSQL cannot store U+0000, so refuse it up front.
  app.addHook('preValidation', async (request) => {
    for (const part of [request.query, request.params]) {
      if (part && typeof part === 'object') {
        for (const v of Object.values(part as Record<string, unknown>)) {
          const values = Array.isArray(v) ? v : [v];
          if (values.some((x) => typeof x === 'string' && x.includes('\u0000'))) {
            throw badRequest('Parameters must not contain the NUL character');
          }
        }
      }
    }
  });

  // Every documented route gets its operationId, description and tag there (openapi-operations.ts).
  await app.register(swagger, {
    ...openapiOptions(),
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await services.health();
    return { status: 'ok' };
  });

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
      api.decorateRequest('principal', null as never);
      api.addHook('onRequest', async (request, reply) => {
        // Routes marked `config: { public: true }` (login) authenticate themselves.
        if ((request.routeOptions.config as { public?: boolean } | undefined)?.public) return;
        request.principal = await services.authenticate(request, reply);
        const p = request.principal;
        enforce(reply, perKey, p.kind === 'api_key' ? `key:${p.keyId}` : p.kind === 'member' ? `member:${p.memberId}` : 'system', p.kind === 'api_key' ? 'API key' : 'member');
      });
      // After authentication (it needs the principal), before the routes (it documents their header).
      registerIdempotency(api, services.idempotency);
      // The audit log's entries for the routes audit.actions.ts lists (after authentication too).
      registerAudit(api, { audit: services.audit, repository: services.audit.repository });
      for (const register of ROUTE_MODULES) register(typed, services);
    },
    { prefix: '/api/v1' },
  );

  // The chat widget's loader, frame, assets and demo page (issue 14).
  registerWidgetAssets(app as unknown as FastifyInstance, {
    async frameAncestors(publicKey) {
      const channel = await services.repos.channels.findByPublicKey(publicKey);
      if (!channel || channel.active !== 1 || channel.type !== 'web_widget') return null;
      return widgetConfigOf(parseJsonObject(channel.config)).allowed_origins;
    },
    async demoSnippet(origin) {
      const channel = await services.repos.channels.demoWidget();
      return channel?.public_key ? embedSnippet(origin, channel.public_key) : null;
    },
  });

  // The web inbox at `/` (issue 5), after the API so that its catch-all never shadows a route.
  await registerWebApp(app);

  return app as unknown as App;
}
