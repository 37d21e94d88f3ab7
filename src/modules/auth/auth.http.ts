import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../shared/errors/errors.js';
import type { ClientInfo } from './auth.usecases.js';

/**
 * Who is signing in, as the sessions record it. Fastify's trustProxy is off, so `ip` and
 * `protocol` are the socket's own, not forwarded headers.
 */
export function clientOf(request: FastifyRequest): ClientInfo {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : undefined };
}

/** Whether the session cookie may be marked Secure. */
export const isHttps = (request: FastifyRequest) => request.protocol === 'https';

/** Runs `action`, copying a 429's wait into the `Retry-After` header before the error handler answers. */
export async function withRetryAfter<T>(reply: FastifyReply, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (isAppError(e) && e.code === 'RATE_LIMITED') reply.header('retry-after', String(e.details.retry_after));
    throw e;
  }
}
