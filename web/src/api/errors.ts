/** An API error in Parley's envelope, thrown so TanStack Query sees a failed query or mutation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Envelope {
  error?: { code?: string; message?: string; details?: Record<string, unknown> };
}

/**
 * Turns an openapi-fetch result into its data or an ApiError. Every call goes through this, so
 * components deal with one error type.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'NETWORK', 'Parley could not be reached. Check your connection and try again.');
  }
  const { data, error, response } = result;
  if (!response.ok) {
    const body = (error ?? {}) as Envelope;
    throw new ApiError(response.status, body.error?.code ?? 'HTTP_' + response.status, body.error?.message ?? response.statusText, body.error?.details);
  }
  return data as T;
}

/** A message fit for a person: the server's message, with field details when it gave them. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Object.entries(err.details)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => `${k} ${(v as string[]).join(', ')}`);
    return fields.length > 0 ? `${err.message} (${fields.join('; ')})` : err.message;
  }
  return err instanceof Error ? err.message : 'Something went wrong';
}
