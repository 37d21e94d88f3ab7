import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import { ConversationSchema } from '../conversations/conversations.schemas.js';
import {
  ContactIdParams,
  ContactSchema,
  CreateContactBody,
  FindOrCreateResponse,
  ListContactsQuery,
  UpdateContactBody,
} from './contacts.schemas.js';

export function registerContactsRoutes(app: App, { contacts, conversations }: Services): void {
  const tags = ['Contacts'];

  app.get(
    '/contacts',
    {
      schema: {
        tags,
        summary: 'List contacts, newest first (filter by exact email, or search with q)',
        querystring: ListContactsQuery,
        response: { 200: collectionOf(ContactSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await contacts.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a contact',
        params: ContactIdParams,
        response: { 200: dataOf(ContactSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await contacts.get(request.principal, request.params.id) }),
  );

  app.get(
    '/contacts/:id/conversations',
    {
      schema: {
        tags,
        summary: "A contact's conversations, most recently active first",
        description: 'The same conversations as `GET /conversations?contact_id=…&sort=updated_at`, but a 404 for an unknown contact.',
        params: ContactIdParams,
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: { 200: collectionOf(ConversationSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      // The contact first, so another account's id is a 404 rather than an empty list.
      await contacts.get(request.principal, request.params.id);
      const page = await conversations.list(request.principal, {
        contact_id: request.params.id,
        sort: 'updated_at',
        order: 'desc',
        cursor: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/contacts',
    {
      schema: {
        tags,
        summary: 'Find or create a contact by email (a guest when no email is given)',
        body: CreateContactBody,
        response: { 200: FindOrCreateResponse, 201: FindOrCreateResponse, ...errorResponses(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const { contact, created } = await contacts.findOrCreate(request.principal, request.body ?? {});
      return reply.code(created ? 201 : 200).send({ data: contact, created });
    },
  );

  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Update a contact (metadata is deep-merged; null removes a key)',
        params: ContactIdParams,
        body: UpdateContactBody,
        response: { 200: dataOf(ContactSchema), ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) => ({ data: await contacts.update(request.principal, request.params.id, request.body ?? {}) }),
  );

  app.delete(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Delete a contact and everything of it (admin)',
        params: ContactIdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await contacts.remove(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
