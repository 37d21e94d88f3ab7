import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The one API client, typed from the OpenAPI document (`npm run openapi` regenerates schema.d.ts).
 * The session cookie is HttpOnly and travels by itself; requests that change state also carry
 * the session's CSRF token, which the server hands out at sign-in and on GET /me.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for a request made without this client (an upload that reports its progress). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** Called when any call answers 401: the session has ended, so the app shows the sign-in page. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}
/** For requests made without this client: a 401 ends the session the same way. */
export function sessionEnded(): void {
  onUnauthorized();
}

const sessionWatch: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.endsWith('/auth/login')) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf, sessionWatch);
