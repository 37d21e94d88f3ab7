import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../shared/auth/principal.js';
import { badRequest } from '../../shared/errors/errors.js';
import { fingerprint, type IdempotencyGate, type Lease } from './idempotency.usecases.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false`: the route ignores Idempotency-Key. For routes whose response carries a secret that
     * Parley must not keep (a new API key's secret is stored only as a hash).
     */
    idempotency?: boolean;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** 1–255 printable ASCII characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

const HeaderSchema = Type.Object({
  [IDEMPOTENCY_HEADER]: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x20-\\x7E]+$',
      description:
        'Makes a retry safe: the same key with the same request within 24 hours returns the first response (with `Idempotent-Replayed: true`) instead of acting again; the same key with a different request is 422. Not applied to streamed responses (`stream: true`).',
    }),
  ),
});

function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'api_key':
      return `api_key:${principal.keyId}`;
    case 'member':
      return `member:${principal.memberId}`;
    case 'system':
      return `system:${principal.source}`;
  }
}

type RouteConfig = { public?: boolean; idempotency?: boolean } | undefined;
const applies = (method: string | string[], config: RouteConfig) =>
  (Array.isArray(method) ? method.includes('POST') : method === 'POST') && !config?.public && config?.idempotency !== false;

/** The payload Fastify is about to send, as text; null for a stream, which cannot be stored. */
function payloadText(payload: unknown): string | null {
  if (payload === null || payload === undefined) return '';
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return null;
}

/**
 * Idempotency-Key on every authenticated POST of the scope it is registered in (after the
 * authentication hook). preHandler claims the key once the body is parsed and validated, onSend
 * stores a 2xx/4xx response (a 5xx or 429 releases the claim so a retry runs again), and a
 * response that never passes onSend (a hijacked SSE stream) releases it when it ends.
 */
export function registerIdempotency(app: FastifyInstance, gate: IdempotencyGate): void {
  const held = new WeakMap<FastifyRequest, Lease>();

  const releaseHeld = async (request: FastifyRequest) => {
    const lease = held.get(request);
    if (!lease) return;
    held.delete(request);
    try {
      await lease.release();
    } catch (err) {
      request.log.error({ err, reqId: request.id }, 'could not release an idempotency key');
    }
  };

  // Documents the header in OpenAPI on the routes it applies to (and validates it there).
  app.addHook('onRoute', (route) => {
    if (!applies(route.method, route.config as RouteConfig)) return;
    const schema = (route.schema ??= {});
    if (schema.headers === undefined) schema.headers = HeaderSchema;
  });

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!applies(request.method, request.routeOptions.config as RouteConfig) || !request.principal) return;
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!KEY_PATTERN.test(key)) {
      throw badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters', {
        [IDEMPOTENCY_HEADER]: ['must be 1 to 255 printable ASCII characters'],
      });
    }
    const claim = await gate.begin({
      scope: { accountId: request.principal.accountId, principal: principalKey(request.principal), key },
      method: request.method,
      path: request.url.split('?')[0].replace(/(.)\/+$/, '$1'),
      fingerprint: fingerprint(request.query, request.body),
    });
    if (claim.kind === 'replay') {
      const { status, body, contentType } = claim.response;
      reply.code(status).header(REPLAYED_HEADER, 'true');
      if (contentType) reply.header('content-type', contentType);
      return reply.send(body);
    }
    held.set(request, claim.lease);
    // A hijacked response whose client went away never finishes, so onResponse would not run.
    reply.raw.once('close', () => {
      if (reply.sent) void releaseHeld(request);
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const lease = held.get(request);
    if (!lease) return payload;
    held.delete(request);
    const body = payloadText(payload);
    try {
      // A 429 is about timing, not about the request: a retry after the wait must run.
      if (reply.statusCode >= 500 || reply.statusCode === 429 || body === null) await lease.release();
      else {
        const type = reply.getHeader('content-type');
        await lease.store({ status: reply.statusCode, body, contentType: type === undefined ? null : String(type) });
      }
    } catch (err) {
      // The action happened; failing its response now would only invite a second one.
      request.log.error({ err, reqId: request.id }, 'could not store an idempotent response');
    }
    return payload;
  });

  // Streamed (hijacked) responses pass no onSend: nothing was stored, so the claim goes.
  app.addHook('onResponse', async (request) => releaseHeld(request));
}
