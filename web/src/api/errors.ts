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

/** "must be at most 200 characters long" as a sentence to show under a field. */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The server's field errors under one field: `details` keys equal to `field` or below it
 * (`business_hours.timezone` under `business_hours`), as one sentence; undefined when none.
 */
export function fieldMessage(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const messages = Object.entries(err.details)
    .filter(([key, v]) => (key === field || key.startsWith(`${field}.`)) && Array.isArray(v))
    .flatMap(([, v]) => (v as unknown[]).map((m) => sentence(String(m))));
  return messages.length > 0 ? [...new Set(messages)].join(' ') : undefined;
}

/** A message fit for a person: the server's message, with the field details it does not already say. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Object.entries(err.details)
      .filter(([k, v]) => Array.isArray(v) && !err.message.includes(k) && !(v as unknown[]).every((m) => err.message.includes(String(m))))
      .map(([k, v]) => `${k} ${(v as string[]).join(', ')}`);
    return fields.length > 0 ? `${err.message} (${fields.join('; ')})` : err.message;
  }
  return err instanceof Error ? err.message : 'Something went wrong';
}
