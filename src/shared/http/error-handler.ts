import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, STATUS_OF, type ErrorCode } from '../errors/errors.js';
import { validationDetails } from './validation.js';
import { summaryMessage } from './validation-messages.js';
import { isForeignKeyViolation, isStorageUnavailable } from '../db/db-errors.js';
import { drainRefusedBody } from './oversized.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = Object.fromEntries(
  Object.entries(STATUS_OF).map(([code, status]) => [status, code as ErrorCode]),
);

/** Maps every error to the envelope. Unknown errors are logged with the request id and become a bare 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (reply.sent || reply.raw.headersSent) return;
    if (!(err instanceof AppError) && isStorageUnavailable(err)) {
      request.log.warn({ err, reqId: request.id }, 'storage unavailable');
      void reply
        .code(503)
        .header('retry-after', '2')
        .type('application/json; charset=utf-8')
        .send({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Storage is temporarily unavailable; retry shortly', details: {} } });
      return;
    }
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = toEnvelope(err));
    } catch (bug) {
      // A fault in the mapping itself still answers in the envelope.
      request.log.error({ err: bug, cause: err, reqId: request.id }, 'error mapping failed');
      ({ status, body } = { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'Unexpected server error', details: {} } } });
    }
    if (status >= 500) {
      request.log.error({ err, reqId: request.id }, 'request failed');
    }
    if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') drainRefusedBody(request, reply);
    void reply.code(status).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: { code: 'NOT_FOUND', message: `Route ${request.method} ${request.url.split('?')[0]} not found`, details: {} },
    });
  });
}

export function toEnvelope(err: FastifyError | AppError): { status: number; body: unknown } {
  if (err instanceof AppError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  if (isForeignKeyViolation(err)) {
    // Something the request refers to was deleted while it ran: nothing was written (the
    // transaction rolled back), and asking again will say what is there now.
    const message = 'A record this request refers to was deleted meanwhile; nothing was changed';
    return { status: 409, body: { error: { code: 'CONFLICT', message, details: {} } } };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = validationDetails(fe.validation, fe.validationContext);
    const message = summaryMessage(details);
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message, details } } };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
    return { status: CODE_BY_STATUS[status] ? status : 400, body: { error: { code, message: clientMessage(fe), details: {} } } };
  }
  if (status === 503) {
    return { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'Service temporarily unavailable', details: {} } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'Unexpected server error', details: {} } } };
}

/** Fastify's own client-error messages, minus its internal codes. */
function clientMessage(fe: FastifyError): string {
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type: send application/json';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Content-Length does not match the body';
    default:
      return fe.message || 'Bad request';
  }
}
