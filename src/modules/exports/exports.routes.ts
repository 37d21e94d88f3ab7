import fs from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { collectionOf, dataOf, errorResponses } from '../../shared/http/envelope.js';
import { ContactIdParams } from '../contacts/contacts.schemas.js';
import {
  ContactExportQuery,
  ContactExportSchema,
  CreateExportBody,
  CreatedExportSchema,
  DownloadQuery,
  ExportIdParams,
  ExportSchema,
  ListExportsQuery,
} from './exports.schemas.js';

/**
 * A person's data (GDPR access) and bulk exports of the workspace. Who may do what is written
 * beside each use case: the contact export in contact-export.ts, bulk exports in
 * exports.usecases.ts (admins and API keys; agents get 403).
 */
export function registerExportsRoutes(app: App, { exports, contactExport }: Services): void {
  const tags = ['Exports'];

  app.get(
    '/contacts/:id/export',
    {
      schema: {
        tags,
        summary: "Everything stored of a contact, in one JSON document (the person's data)",
        description:
          'The contact, every conversation with its messages, files (metadata and download URLs) and mails, every feedback and CSAT rating, and widget sessions. Internal notes only with `include_notes=true`, for admins (403 otherwise). Served with `Content-Disposition: attachment`, so a browser saves it.',
        params: ContactIdParams,
        querystring: ContactExportQuery,
        response: { 200: dataOf(ContactExportSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const data = await contactExport(request.principal, request.params.id, { includeNotes: request.query.include_notes });
      return reply
        .header('content-disposition', `attachment; filename="contact-${request.params.id}-export.json"`)
        .header('cache-control', 'private, no-store')
        .send({ data });
    },
  );

  app.post(
    '/exports',
    {
      schema: {
        tags,
        summary: 'Start a bulk export of conversations, contacts or messages (admins and API keys)',
        description:
          'Answers 202 at once; a worker writes the file (NDJSON or CSV) in the background. Poll `GET /exports/{id}` until `status` is `done`, then fetch `download_url` (no credentials needed; it works for 24 hours). Filters: `since`/`until` on creation time; `agent_id`, `channel_id`, `status`, `tag` select conversations (and their messages) and do not apply to contacts (422). At most 3 exports of a workspace are written at once (409 beyond).',
        body: CreateExportBody,
        response: { 202: dataOf(CreatedExportSchema), ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(202).send({ data: await exports.create(request.principal, request.body) }),
  );

  app.get(
    '/exports',
    {
      schema: {
        tags,
        summary: "The workspace's exports, newest first (admins and API keys)",
        querystring: ListExportsQuery,
        response: { 200: collectionOf(ExportSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await exports.list(request.principal, request.query);
      return { data: page.items, pagination: page.pagination };
    },
  );

  app.get(
    '/exports/:id',
    {
      schema: {
        tags,
        summary: 'An export: its status, rows written and, when done, its download link (admins and API keys)',
        params: ExportIdParams,
        response: { 200: dataOf(ExportSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await exports.get(request.principal, request.params.id) }),
  );

  /*
   * Public: the link is the credential. Who may call it: anyone holding the `download_url` of a
   * finished export, until it expires (24 hours), so that curl or a browser fetches it without a
   * session or key. What it may see: that one file. An unknown export, a wrong token, an
   * unfinished or expired export all answer the same 404.
   */
  app.get(
    '/exports/:id/download',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Download a finished export's file with the token of its link",
        description: 'NDJSON (`application/x-ndjson`) or CSV (`text/csv`), as a download (`Content-Disposition: attachment`).',
        params: ExportIdParams,
        querystring: DownloadQuery,
        response: {
          200: {
            description: 'The file: NDJSON or CSV, as a download',
            content: {
              'application/x-ndjson': { schema: Type.String({ format: 'binary' }) },
              'text/csv': { schema: Type.String({ format: 'binary' }) },
            },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await exports.download(request.params.id, request.query.token);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', file.size)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .send(fs.createReadStream(file.file) as never);
    },
  );
}
