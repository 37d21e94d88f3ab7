import type { TestApp } from './helpers.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

/** One request through the real app, authenticated as the test workspace's API key unless told otherwise. */
export async function api<T = Record<string, unknown>>(
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  body?: unknown,
  headers: Record<string, string> = t.auth,
): Promise<ApiResponse<T>> {
  const res = await t.app.inject({
    method,
    url,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  let parsed: unknown = null;
  try {
    parsed = res.body ? JSON.parse(res.body) : null;
  } catch {
    parsed = null;
  }
  return { status: res.statusCode, body: parsed as T, headers: res.headers, text: res.body };
}

/** Asserts nothing about the value; returns the error envelope's fields for expectations. */
export function errorOf(res: ApiResponse): { code: string; message: string; details: Record<string, unknown> } {
  return (res.body as { error: { code: string; message: string; details: Record<string, unknown> } }).error;
}

/** Parses a Server-Sent Events body into its events, in order. */
export function parseSse(text: string): Array<{ event: string; data: Record<string, unknown>; id?: string }> {
  const events: Array<{ event: string; data: Record<string, unknown>; id?: string }> = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim() || block.startsWith(':')) continue;
    let event = 'message';
    let data = '';
    let id: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
      else if (line.startsWith('id: ')) id = line.slice(4);
    }
    events.push({ event, data: data ? (JSON.parse(data) as Record<string, unknown>) : {}, id });
  }
  return events;
}
