import { expect } from 'vitest';
import type { TestApp } from './helpers.js';
import { api } from './http.js';
import type { Receiver } from './webhook-receiver.js';

export interface TestDelivery {
  id: string;
  event_id: number;
  event_type: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** Creates an endpoint pointing at `receiver` + `path`, and tells the receiver its secret. */
export async function createHook(
  t: TestApp,
  receiver: Receiver,
  path: string,
  body: { events?: string[]; active?: boolean; description?: string } = {},
  auth: Record<string, string> = t.auth,
): Promise<{ id: string; secret: string }> {
  const res = await api<{ data: { id: string; secret: string } }>(t, 'POST', '/api/v1/webhooks', { url: receiver.url(path), ...body }, auth);
  expect(res.status, res.text).toBe(201);
  receiver.secret(path, res.body.data.secret);
  return res.body.data;
}

/** An endpoint's deliveries through the API, newest first. */
export async function deliveriesOf(t: TestApp, id: string, auth: Record<string, string> = t.auth, query = ''): Promise<TestDelivery[]> {
  const res = await api<{ data: TestDelivery[] }>(t, 'GET', `/api/v1/webhooks/${id}/deliveries?limit=100${query}`, undefined, auth);
  expect(res.status, res.text).toBe(200);
  return res.body.data;
}

/** Runs `run` (a worker's) until `done` holds, failing the test after `timeoutMs`. */
export async function runUntil(run: () => Promise<unknown>, done: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await run();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Creates a contact through the API (one `contact.created` event); returns its id. */
export async function newContact(t: TestApp, auth: Record<string, string> = t.auth, email?: string): Promise<number> {
  const res = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', email ? { email } : {}, auth);
  expect(res.status, res.text).toBe(201);
  return res.body.data.id;
}
