import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REPLAYED_HEADER } from '../idempotency/idempotency.hooks.js';
import type { Audit, AuditEntry } from './audit.js';
import type { AuditRepository } from './audit.repository.js';
import { AUDITED_ROUTES, type AuditedRoute } from './audit.actions.js';

/**
 * Values worth keeping to read an entry later (the name of what was created, the role given);
 * every other field of a request is kept by name only. Never a URL (a webhook's may carry a
 * token), a free text, or anything `withoutSecrets` would drop.
 */
const KEPT_VALUES = ['name', 'email', 'title', 'prefix', 'role', 'availability', 'active', 'type', 'event', 'resource', 'format', 'shortcut'];

function parsed(payload: unknown): Record<string, unknown> | null {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  if (!text || text[0] !== '{') return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const objectAt = (value: unknown, key: string): Record<string, unknown> | null => {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
};

function kept(source: Record<string, unknown> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEPT_VALUES) {
    const v = source?.[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = typeof v === 'string' ? v.slice(0, 200) : v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[key] = v.slice(0, 50);
  }
  return out;
}

const objectBody = (request: FastifyRequest): Record<string, unknown> | null =>
  request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : null;

/** The fields a request set itself, read before validation fills in defaults. */
const fieldsSent = new WeakMap<FastifyRequest, string[]>();

/** The details of a route's entry: the fields the request set, and the values worth keeping. */
function detailsOf(request: FastifyRequest, data: Record<string, unknown> | null): Record<string, unknown> {
  const body = objectBody(request);
  const fields = fieldsSent.get(request) ?? [];
  const details: Record<string, unknown> = { ...kept(data), ...kept(body && Object.fromEntries(fields.map((f) => [f, body[f]]))) };
  if (fields.length) details.fields = [...fields].sort();
  return details;
}

function targetIdOf(route: AuditedRoute, request: FastifyRequest, answer: Record<string, unknown> | null): string | null {
  const target = route.target;
  if (!target) return null;
  if (target.param) {
    const v = (request.params as Record<string, unknown> | undefined)?.[target.param];
    return v === undefined || v === null ? null : String(v);
  }
  const data = objectAt(answer, 'data');
  const holder = target.fromResponse === 'data.member.id' ? objectAt(data, 'member') : data;
  const id = holder?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/**
 * Writes the audit entry of each route in AUDITED_ROUTES (audit.ts tells the whole mechanism):
 * in onSend, so the entry is stored before the answer leaves, for a 2xx answer only and not for
 * an Idempotency-Key replay (the change was recorded the first time). Register it in the /api/v1
 * scope after the authentication hook.
 */
export function registerAudit(app: FastifyInstance, { audit, repository }: { audit: Audit; repository: AuditRepository }): void {
  const entryOf = async (request: FastifyRequest, route: AuditedRoute, payload: unknown): Promise<AuditEntry | null> => {
    const answer = parsed(payload);
    const data = objectAt(answer, 'data');
    const targetId = targetIdOf(route, request, answer);
    const target = route.target ? { type: route.target.type, id: targetId } : null;
    // A read's answer is the data itself (a contact's export): only a change's answer is looked at.
    const answered = request.method === 'GET' ? null : route.target?.fromResponse === 'data.member.id' ? objectAt(data, 'member') : data;
    const details = detailsOf(request, answered);
    if (route.publicActor === 'member') {
      if (targetId === null) return null;
      const accountId = await repository.accountOfMember(targetId);
      return { accountId, actor: { type: 'member', id: targetId }, action: route.action, target, details, ip: request.ip };
    }
    if (route.publicActor === 'export') {
      const accountId = targetId === null ? null : await repository.accountOfExport(targetId);
      if (accountId === null) return null;
      return { accountId, actor: { type: 'anonymous', id: null, name: null }, action: route.action, target, details: {}, ip: request.ip };
    }
    const principal = request.principal as FastifyRequest['principal'] | null;
    if (!principal) return null;
    return { accountId: principal.accountId, actor: principal, action: route.action, target, details, ip: request.ip };
  };

  app.addHook('preValidation', async (request: FastifyRequest) => {
    const body = objectBody(request);
    if (body && AUDITED_ROUTES[`${request.method} ${request.routeOptions.url}`]) fieldsSent.set(request, Object.keys(body));
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const route = AUDITED_ROUTES[`${request.method} ${request.routeOptions.url}`];
    if (!route || route.explicit) return payload;
    if (reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    if (String(reply.getHeader(REPLAYED_HEADER)) === 'true') return payload;
    try {
      const entry = await entryOf(request, route, payload);
      if (entry) await audit.record(entry);
    } catch (err) {
      // The change has committed: the caller gets its answer, and the missing entry is logged loudly.
      request.log.error({ err, reqId: request.id, action: route.action }, 'could not write an audit entry');
    }
    return payload;
  });
}
