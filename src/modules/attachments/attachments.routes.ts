import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../app.js';
import type { Services } from '../../services.js';
import { Type } from '@sinclair/typebox';
import { dataOf, errorResponses } from '../../shared/http/envelope.js';
import { createRateLimiter, enforce } from '../../shared/http/rate-limit.js';
import { AttachmentSchema } from '../messages/messages.schemas.js';
import { allowOrigin, visitorToken } from '../widget/widget.routes.js';
import { isVisitorToken } from '../widget/widget.secrets.js';
import { contentDisposition, servedType } from './attachments.files.js';
import { presentAttachment } from './attachments.presenters.js';
import { AttachmentParams, FileResponse, UploadParams } from './attachments.schemas.js';
import { FILE_FIELD, receiveUploads } from './attachments.upload.js';
import type { AttachmentRow } from './attachments.repository.js';

/** Upload requests one visitor may make a minute. */
const UPLOADS_PER_VISITOR_PER_MINUTE = 20;

const UPLOAD_DESCRIPTION = `A \`multipart/form-data\` body with one or more files (at most 10) in the field \`${FILE_FIELD}\`, each at most PARLEY_MAX_ATTACHMENT_MB (25 MB by default; 413 above). The type is detected from the bytes, never taken from the upload, and the filename is cleaned (no path, at most 200 characters). Send the returned ids as \`attachment_ids\` with a message; an upload no message takes is deleted after 24 hours.`;

/**
 * Files: uploads to a conversation (members and API keys of its account; a widget visitor to its
 * own conversation) and downloads under the caller's rights. The multipart parser is registered
 * in this scope only, so every other route still takes JSON alone.
 */
export function registerAttachmentsRoutes(app: App, services: Services): void {
  const { attachments, widgetSessions, authenticate } = services;
  const tags = ['Attachments'];
  const uploadsPerVisitor = createRateLimiter({ limit: UPLOADS_PER_VISITOR_PER_MINUTE, windowMs: 60_000 });

  void (app as unknown as FastifyInstance).register(async (instance) => {
    await instance.register(multipart, { throwFileSizeLimit: false });
    // Any other body is left unread, so that the handler can say what to send (400, not 415).
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const scope = instance as unknown as App;

    scope.post(
      '/conversations/:id/attachments',
      {
        // A streamed body cannot be fingerprinted to tell a retry from another upload; repeating
        // an upload is harmless (the unsent copy is purged), so Idempotency-Key does not apply.
        config: { idempotency: false },
        schema: {
          tags,
          summary: 'Upload files to a conversation, for a message to carry',
          description: UPLOAD_DESCRIPTION,
          consumes: ['multipart/form-data'],
          params: UploadParams,
          response: { 201: dataOf(Type.Array(AttachmentSchema)), ...errorResponses(400, 401, 403, 404, 413, 422) },
        },
      },
      async (request, reply) => {
        const target = await attachments.uploadTarget(request.principal, request.params.id);
        const rows = await receiveUploads(request, attachments, target);
        return reply.code(201).send({ data: rows.map(presentAttachment) });
      },
    );

    /*
     * Public (the widget's visitor API). Who may call it: a widget visitor with its token
     * (Authorization: Bearer vt_…), from the channel's allowed origins or Parley's widget frame;
     * API keys and inbox sessions are refused (401). What it may do: upload to its own active
     * conversation only (any other is 404, an ended one 422), at most 20 requests a minute.
     */
    scope.post(
      '/widget/conversations/:id/attachments',
      {
        config: { public: true },
        schema: {
          tags: ['Widget'],
          summary: 'Upload files to the visitor’s own conversation, for its next message',
          description: UPLOAD_DESCRIPTION,
          consumes: ['multipart/form-data'],
          params: UploadParams,
          response: { 201: dataOf(Type.Array(AttachmentSchema)), ...errorResponses(400, 401, 403, 404, 413, 422, 429) },
        },
      },
      async (request, reply) => {
        const v = await widgetSessions.visitor(visitorToken(request), request.headers.origin, request.host);
        allowOrigin(request, reply);
        enforce(reply, uploadsPerVisitor, v.session.id, 'visitor');
        const target = await attachments.visitorUploadTarget(v, request.params.id);
        const rows = await receiveUploads(request, attachments, target);
        return reply.code(201).send({ data: rows.map(presentAttachment) });
      },
    );
  });

  /*
   * Public so that a widget visitor's token is accepted as well as the account's credentials.
   * Who may call it: members (session cookie) and API keys of the account, any of its files; a
   * widget visitor (Bearer vt_…) only files of its own conversation's messages it sees (never a
   * note's) and its own uploads not sent yet. Everything else is 404, never 403.
   */
  app.get(
    '/attachments/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Download a file under the caller’s rights',
        description:
          'Served with its detected type and `X-Content-Type-Options: nosniff`; only raster images (PNG, JPEG, GIF, WebP) are `Content-Disposition: inline`, everything else (HTML, SVG, PDF, unknown) is a download. Members, API keys of the account, and a widget visitor (its `vt_` token) for files of its own conversation.',
        params: AttachmentParams,
        response: { 200: FileResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const authorization = request.headers.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      let row: AttachmentRow;
      if (bearer && isVisitorToken(bearer)) {
        const v = await widgetSessions.visitor(visitorToken(request), request.headers.origin, request.host);
        allowOrigin(request, reply);
        row = await attachments.forVisitor(v, request.params.id);
      } else {
        row = await attachments.forPrincipal(await authenticate(request, reply), request.params.id);
      }
      const bytes = await attachments.read(row);
      return reply
        .header('content-type', servedType(row.content_type))
        .header('content-disposition', contentDisposition(row.content_type, row.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', 'sandbox')
        .header('cache-control', 'private, max-age=300')
        .send(bytes as never);
    },
  );
}
