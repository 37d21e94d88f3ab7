import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { PageQuerySchema } from '../../shared/pagination/pagination.js';
import {
  AgentDocumentsParams,
  CreateDocumentBody,
  DocumentParams,
  KnowledgeDocumentSchema,
  UpdateDocumentBody,
} from './knowledge.schemas.js';

/** An agent's knowledge documents: the help articles the built-in responder answers from. */
export function registerKnowledgeRoutes(app: App, { knowledge }: Services): void {
  const tags = ['Knowledge'];

  app.get(
    '/agents/:id/documents',
    {
      schema: {
        tags,
        summary: "List an agent's knowledge documents, oldest first",
        params: AgentDocumentsParams,
        querystring: Type.Object(PageQuerySchema, { additionalProperties: false }),
        response: { 200: collectionOf(KnowledgeDocumentSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = await knowledge.list(request.principal, request.params.id, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.post(
    '/agents/:id/documents',
    {
      schema: {
        tags,
        summary: 'Add a knowledge document (chunked and indexed for search at once)',
        params: AgentDocumentsParams,
        body: CreateDocumentBody,
        response: { 201: dataOf(KnowledgeDocumentSchema), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const doc = await knowledge.create(request.principal, request.params.id, request.body);
      return reply.code(201).send({ data: doc });
    },
  );

  app.get(
    '/agents/:id/documents/:document_id',
    {
      schema: {
        tags,
        summary: 'Retrieve a knowledge document',
        params: DocumentParams,
        response: { 200: dataOf(KnowledgeDocumentSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({
      data: await knowledge.get(request.principal, request.params.id, request.params.document_id),
    }),
  );

  app.patch(
    '/agents/:id/documents/:document_id',
    {
      schema: {
        tags,
        summary: 'Update a knowledge document (a new title or body is re-indexed)',
        params: DocumentParams,
        body: UpdateDocumentBody,
        response: { 200: dataOf(KnowledgeDocumentSchema), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => ({
      data: await knowledge.update(request.principal, request.params.id, request.params.document_id, request.body ?? {}),
    }),
  );

  app.delete(
    '/agents/:id/documents/:document_id',
    {
      schema: {
        tags,
        summary: 'Delete a knowledge document and its passages',
        params: DocumentParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await knowledge.remove(request.principal, request.params.id, request.params.document_id);
      return reply.code(204).send(null);
    },
  );
}
