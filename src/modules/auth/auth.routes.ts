import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { requireMember } from '../../shared/auth/guards.js';
import { errorResponses } from '../../shared/http/envelope.js';
import { clearedSessionCookie, sessionCookie } from './auth.sessions.js';
import { clientOf, isHttps, withRetryAfter } from './auth.http.js';
import { ChangePasswordBody, LoginBody, SignedInResponse } from './auth.schemas.js';

/** Operators' sign-in with a session cookie (seed 001), the session itself and the password. */
export function registerAuthRoutes(app: App, { auth }: Services): void {
  const tags = ['Sessions'];

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with email and password; sets the session cookie',
        security: [],
        body: LoginBody,
        response: { 200: SignedInResponse, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await withRetryAfter(reply, () => auth.login(request.body, clientOf(request)));
      reply.header('cache-control', 'no-store');
      reply.header('set-cookie', sessionCookie(signedIn.token, { secure: isHttps(request), maxAgeSeconds: signedIn.maxAgeSeconds }));
      return { data: signedIn.member, csrf_token: signedIn.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'End this session and clear its cookie',
        response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await auth.logout(requireMember(request.principal));
      reply.header('set-cookie', clearedSessionCookie({ secure: isHttps(request) }));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'The signed-in member and the CSRF token of this session',
        response: { 200: SignedInResponse, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const { member, csrfToken } = await auth.me(requireMember(request.principal));
      reply.header('cache-control', 'no-store');
      return { data: member, csrf_token: csrfToken };
    },
  );

  app.post(
    '/settings/password',
    {
      schema: {
        tags,
        summary: "Change the signed-in member's password; ends their other sessions",
        body: ChangePasswordBody,
        response: { 204: Type.Null({ description: 'Changed' }), ...errorResponses(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const principal = requireMember(request.principal);
      await withRetryAfter(reply, () => auth.changePassword(principal, request.body, clientOf(request)));
      return reply.code(204).send(null);
    },
  );
}
