import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../serve-process.js';
import { startReceiver, type Receiver } from '../webhook-receiver.js';
import { call, sleep, tempDir } from './support.js';

/** A webhook receiver that is down for a while and then back: every event still arrives. */

interface Page<T> {
  data: T[];
  pagination: { cursor: string | null; has_more: boolean };
}

/** Every event id of the account after `after`, through the events API. */
async function eventIdsAfter(base: string, key: string, after: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const query = `after=${after}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const r = await call(base, 'GET', `/api/v1/events?${query}`, { key });
    expect(r.status).toBe(200);
    const body = r.body as Page<{ id: number }>;
    ids.push(...body.data.map((e) => e.id));
    if (!body.pagination.has_more || !body.pagination.cursor) break;
    cursor = body.pagination.cursor;
  }
  return ids;
}

describe('webhook receiver outage', () => {
  let server: ServeProcess | null = null;
  let receiver: Receiver | null = null;
  let dir = '';

  afterEach(async () => {
    await server?.kill();
    await receiver?.close();
    server = null;
    receiver = null;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every event once the receiver is back', async () => {
    receiver = await startReceiver();
    await receiver.stop(); // down from the start: connections refused
    dir = tempDir('parley-faults-webhook-');
    server = await startServe({
      PARLEY_DATA_DIR: dir,
      PARLEY_WEBHOOK_ALLOW_PRIVATE: '1',
      // 8 attempts 0.2, 0.4, … 12.8 s apart (half of each at random): they outlast the outage
      // even on a slow machine, and a retry comes soon after the receiver is back.
      PARLEY_WEBHOOK_RETRY_BASE_MS: '200',
      PARLEY_RATE_LIMIT_PER_KEY: '0',
      PARLEY_RATE_LIMIT_PER_IP: '0',
    });
    const base = server.url;
    const key = server.apiKey!;

    const created = await call(base, 'POST', '/api/v1/webhooks', { key, body: { url: receiver.url('/hook'), events: ['*'] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const hook = (created.body as { data: { id: string; secret: string } }).data;
    receiver.secret('/hook', hook.secret);
    // Everything after the webhook's own creation is owed to it.
    const before = await eventIdsAfter(base, key, 0);
    const since = before.length ? Math.max(...before) : 0;

    // Traffic while the receiver is down: contacts, conversations, messages, an ended conversation.
    const outageStarted = Date.now();
    for (let i = 0; i < 5; i++) {
      const contact = await call(base, 'POST', '/api/v1/contacts', { key, body: { email: `hook-${i}@example.com`, name: `Hook ${i}` } });
      expect(contact.status).toBe(201);
      const conv = await call(base, 'POST', '/api/v1/conversations', { key, body: { contact_id: (contact.body as { data: { id: number } }).data.id } });
      expect(conv.status).toBe(201);
      const convId = (conv.body as { data: { id: string } }).data.id;
      const msg = await call(base, 'POST', `/api/v1/conversations/${convId}/messages`, { key, body: { content: 'Can I return an item?' } });
      expect(msg.status).toBe(201);
      if (i % 2 === 0) expect((await call(base, 'POST', `/api/v1/conversations/${convId}/end`, { key })).status).toBe(200);
    }
    // Down for a while (at least 2.5 s, and until a delivery has been retried, however slowly a
    // loaded machine runs the worker): several attempts fail with the connection refused.
    await sleep(Math.max(0, 2500 - (Date.now() - outageStarted)));
    type Delivery = { status: string; attempts: number; last_error: string | null };
    let pending: Delivery[] = [];
    for (const retryDeadline = Date.now() + 20_000; ; await sleep(200)) {
      const failing = await call(base, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=100`, { key });
      expect(failing.status).toBe(200);
      pending = (failing.body as Page<Delivery>).data;
      if (pending.some((d) => d.attempts >= 2) || Date.now() > retryDeadline) break;
    }
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((d) => d.status === 'pending')).toBe(true);
    expect(pending.some((d) => d.attempts >= 2 && d.last_error)).toBe(true);
    expect(receiver.received).toEqual([]);

    const expected = await eventIdsAfter(base, key, since);
    expect(expected.length).toBeGreaterThanOrEqual(15);

    await receiver.start();
    const deadline = Date.now() + 30_000;
    const got = () => new Set(receiver!.at('/hook').filter((r) => r.answered === 200).map((r) => r.event.id));
    while (expected.some((id) => !got().has(id)) && Date.now() < deadline) await sleep(100);
    expect(expected.filter((id) => !got().has(id))).toEqual([]);
    expect(receiver.at('/hook').every((r) => r.verified)).toBe(true);

    // And Parley agrees: every delivery is marked delivered.
    await sleep(300);
    const deliveries = await call(base, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=100`, { key });
    const rows = (deliveries.body as Page<{ event_id: number; status: string }>).data;
    const byEvent = new Map(rows.map((d) => [d.event_id, d.status]));
    expect(expected.filter((id) => byEvent.get(id) !== 'delivered')).toEqual([]);
    expect(await server.stop()).toBe(0);
    server = null;
  });
});
