import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { requireAdmin } from '../../shared/auth/guards.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { originOf } from '../../shared/http/origin.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { sessionCookie } from '../auth/auth.sessions.js';
import { clientOf, isHttps, withRetryAfter } from '../auth/auth.http.js';
import {
  AcceptedInvitationResponse,
  AcceptInvitationBody,
  CreatedInvitationSchema,
  CreateInvitationBody,
  InvitationIdParams,
  InvitationSchema,
  InvitationTokenParams,
  PublicInvitationSchema,
} from './invitations.schemas.js';

/**
 * Members join by a link an admin sends them (issue 16): admins create, list and revoke links; the
 * person invited opens one and signs up with no session or key, the link's token being the credential.
 */
export function registerInvitationsRoutes(app: App, { invitations }: Services): void {
  const tags = ['Members'];

  app.post(
    '/members/invitations',
    {
      // The link is shown once and stored only as a hash, so no copy of the answer may be kept for a replay.
      config: { idempotency: false },
      schema: {
        tags,
        summary: 'Invite someone by a single-use link valid 7 days, shown only in this response (admin)',
        description: 'A pending invitation of the same email is revoked. 409 when the email is already a member.',
        body: CreateInvitationBody,
        response: { 201: dataOf(CreatedInvitationSchema), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request.principal);
      const created = await invitations.create(admin, request.body, originOf(request));
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ data: created });
    },
  );

  app.get(
    '/members/invitations',
    {
      schema: {
        tags,
        summary: 'List pending invitations, oldest first; their links are not shown again (admin)',
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: { 200: collectionOf(InvitationSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await invitations.listPending(requireAdmin(request.principal), request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.delete(
    '/members/invitations/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a pending invitation: its link stops working (admin)',
        params: InvitationIdParams,
        response: { 204: Type.Null({ description: 'Revoked' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await invitations.revoke(requireAdmin(request.principal), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/invitations/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'What an invitation link is for: the workspace and the email invited (no credential: the token is one)',
        security: [],
        params: InvitationTokenParams,
        response: { 200: dataOf(PublicInvitationSchema), ...errorResponses(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const shown = await withRetryAfter(reply, () => invitations.show(request.params.token, clientOf(request)));
      reply.header('cache-control', 'no-store');
      return { data: shown };
    },
  );

  app.post(
    '/invitations/:token/accept',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign up through an invitation with a name and password; uses the link up and sets the session cookie',
        security: [],
        params: InvitationTokenParams,
        body: AcceptInvitationBody,
        response: { 201: AcceptedInvitationResponse, ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await withRetryAfter(reply, () => invitations.accept(request.params.token, request.body, clientOf(request)));
      reply.header('cache-control', 'no-store');
      reply.header('set-cookie', sessionCookie(signedIn.token, { secure: isHttps(request), maxAgeSeconds: signedIn.maxAgeSeconds }));
      return reply.code(201).send({ data: { member: signedIn.member }, csrf_token: signedIn.csrfToken });
    },
  );
}
