/**
 * Errors are values with stable codes. One handler (shared/http/error-handler.ts) maps them to the
 * envelope `{"error": {"code", "message", "details"}}`; anything else becomes INTERNAL_ERROR.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNPROCESSABLE_ENTITY'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export const STATUS_OF: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_ENTITY: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
}

export const badRequest = (message: string, details?: ErrorDetails) => new AppError('BAD_REQUEST', message, details);
export const unauthorized = (message = 'Missing or invalid API key') => new AppError('UNAUTHORIZED', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
export const notFound = (resource: string) => new AppError('NOT_FOUND', `${capitalize(resource)} not found`);
export const conflict = (message: string, details?: ErrorDetails) => new AppError('CONFLICT', message, details);
export const unprocessable = (message: string, details?: ErrorDetails) =>
  new AppError('UNPROCESSABLE_ENTITY', message, details);
export const internal = (message: string, details?: ErrorDetails) => new AppError('INTERNAL_ERROR', message, details);

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
