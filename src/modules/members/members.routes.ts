import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { requireAdmin, requireMember } from '../../shared/auth/guards.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { AvailabilityBody, AvailabilitySchema, ChangeRoleBody, CreateMemberBody, MemberIdParams, MemberSchema } from './members.schemas.js';

/** The account's operators (seed 001's "agents" admin screen): admin-only, but for the directory of names. */
export function registerMembersRoutes(app: App, { members }: Services): void {
  const tags = ['Members'];

  app.get(
    '/members',
    {
      schema: {
        tags,
        summary: "List the account's members, oldest first (admin)",
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: { 200: collectionOf(MemberSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      requireAdmin(request.principal);
      const page = await members.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/members/directory',
    {
      schema: {
        tags,
        summary: "The account's members by id and name, oldest first (any member or API key: to assign, to show who wrote what)",
        description: 'No emails or roles: those are on the admin-only `GET /members`.',
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: {
          200: collectionOf(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), availability: AvailabilitySchema })),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const page = await members.directory(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/me/availability',
    {
      schema: {
        tags,
        summary: 'Say whether you are online, away or offline (online lapses after 10 minutes unless said again)',
        description: 'Coming online lets the queues of your teams that assign by themselves hand you conversations at once.',
        body: AvailabilityBody,
        response: { 200: dataOf(MemberSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ data: await members.setAvailability(requireMember(request.principal), request.body.availability) }),
  );

  app.post(
    '/members',
    {
      schema: {
        tags,
        summary: 'Add a member with a password (admin)',
        body: CreateMemberBody,
        response: { 201: dataOf(MemberSchema), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal);
      return reply.code(201).send({ data: await members.create(request.principal, request.body) });
    },
  );

  app.get(
    '/members/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a member (admin)',
        params: MemberIdParams,
        response: { 200: dataOf(MemberSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireAdmin(request.principal);
      return { data: await members.get(request.principal, request.params.id) };
    },
  );

  app.post(
    '/members/:id/role',
    {
      schema: {
        tags,
        summary: "Change a member's role; demoting the last admin is a 409 (admin)",
        params: MemberIdParams,
        body: ChangeRoleBody,
        response: { 200: dataOf(MemberSchema), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      requireAdmin(request.principal);
      return { data: await members.changeRole(request.principal, request.params.id, request.body.role) };
    },
  );

  app.delete(
    '/members/:id',
    {
      schema: {
        tags,
        summary: 'Remove a member and end their sessions; removing the last admin is a 409 (admin)',
        params: MemberIdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal);
      await members.remove(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
