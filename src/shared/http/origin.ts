import type { FastifyRequest } from 'fastify';

/**
 * Where this Parley is reached, for links it hands out (a widget's embed snippet):
 * PARLEY_PUBLIC_URL when set (behind a TLS proxy), else the scheme and Host of the request.
 */
export function originOf(request: FastifyRequest): string {
  const configured = process.env.PARLEY_PUBLIC_URL?.trim();
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // An invalid setting falls back to the request's own address.
    }
  }
  return `${request.protocol}://${request.host}`;
}
