import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { originOf } from '../../shared/http/origin.js';
import {
  ChannelIdParams,
  ChannelSchema,
  CreateChannelBody,
  ListChannelsQuery,
  UpdateChannelBody,
} from './channels.schemas.js';

export function registerChannelsRoutes(app: App, { channels }: Services): void {
  const tags = ['Channels'];

  app.get(
    '/channels',
    {
      schema: {
        tags,
        summary: 'List channels, oldest first',
        querystring: ListChannelsQuery,
        response: { 200: collectionOf(ChannelSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await channels.list(request.principal, request.query, originOf(request));
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/channels/:id',
    {
      schema: {
        tags,
        summary: 'Retrieve a channel',
        params: ChannelIdParams,
        response: { 200: dataOf(ChannelSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({ data: await channels.get(request.principal, request.params.id, originOf(request)) }),
  );

  app.post(
    '/channels',
    {
      schema: {
        tags,
        summary: 'Create a channel (admins and API keys)',
        body: CreateChannelBody,
        response: { 201: dataOf(ChannelSchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await channels.create(request.principal, request.body, originOf(request)) }),
  );

  app.patch(
    '/channels/:id',
    {
      schema: {
        tags,
        summary: 'Update a channel (admins and API keys; config is replaced whole)',
        params: ChannelIdParams,
        body: UpdateChannelBody,
        response: { 200: dataOf(ChannelSchema), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ data: await channels.update(request.principal, request.params.id, request.body ?? {}, originOf(request)) }),
  );

  app.post(
    '/channels/:id/rotate_identity_secret',
    {
      schema: {
        tags,
        summary: "Replace a web_widget channel's identity secret (admins and API keys); the answer shows the new one once",
        params: ChannelIdParams,
        response: { 200: dataOf(ChannelSchema), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ data: await channels.rotateIdentitySecret(request.principal, request.params.id, originOf(request)) }),
  );

  app.post(
    '/channels/:id/rotate_inbound_token',
    {
      schema: {
        tags,
        summary: "Replace an email channel's inbound token (admins and API keys); the answer shows the new one once",
        params: ChannelIdParams,
        response: { 200: dataOf(ChannelSchema), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ data: await channels.rotateInboundToken(request.principal, request.params.id, originOf(request)) }),
  );

  app.delete(
    '/channels/:id',
    {
      schema: {
        tags,
        summary: 'Delete a channel (admins and API keys); its conversations stay, without a channel',
        params: ChannelIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await channels.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
