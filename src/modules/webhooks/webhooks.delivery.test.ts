import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api, errorOf } from '../../../test/http.js';
import { startReceiver, verifyParleySignature, type Receiver } from '../../../test/webhook-receiver.js';
import { createHook, deliveriesOf, newContact, runUntil, type TestDelivery } from '../../../test/webhooks.js';
import { createWebhookWorker } from './webhooks.worker.js';

process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';
process.env.PARLEY_WEBHOOK_RETRY_BASE_MS = '50';

const HOUR = 3_600_000;

describe.each(DIALECTS)('webhook deliveries on %s', (dialect) => {
  let t: TestApp;
  let receiver: Receiver;
  let run: (now?: Date) => Promise<number>;
  // Where a test counts attempts run by run: its retries are never due again within the same run.
  let once: (now?: Date) => Promise<number>;
  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect);
    run = (now) => t.services.webhookWorker.run(now);
    const worker = createWebhookWorker({ database: t.database, eventLog: t.services.eventLog, retryBaseMs: 60_000, allowPrivate: true });
    once = (now) => worker.run(now);
  });
  // Every test starts with no endpoint (and so no delivery) left by another.
  afterEach(async () => {
    await t.database.db.deleteFrom('webhook_endpoints').execute();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('POSTs each event signed with the secret, with its ids in the headers and the event as the body', async () => {
    const hook = await createHook(t, receiver, '/signed');
    const contactId = await newContact(t);
    await runUntil(run, () => receiver.at('/signed').length === 1);
    const [got] = receiver.at('/signed');
    expect(got.verified).toBe(true);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('Parley-Webhooks/1');
    expect(got.headers['parley-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyParleySignature('whsec_not_the_secret', String(got.headers['parley-signature']), got.body)).toBe(false);

    const events = await api<{ data: Array<{ id: number; type: string }> }>(t, 'GET', '/api/v1/events?type=contact.created&limit=100');
    const event = events.body.data.at(-1)!;
    expect(got.body).toBe(JSON.stringify(event));
    expect(Object.keys(got.event)).toEqual(['id', 'type', 'created_at', 'data']);
    expect((got.event.data.contact as { id: number }).id).toBe(contactId);
    expect(got.headers['parley-event-id']).toBe(String(event.id));
    expect(got.headers['parley-event-type']).toBe('contact.created');

    const [delivery] = await deliveriesOf(t, hook.id);
    expect(got.headers['parley-delivery-id']).toBe(delivery.id);
    expect(delivery).toMatchObject({ event_id: event.id, event_type: 'contact.created', status: 'delivered', attempts: 1, last_status_code: 200, last_error: null, next_attempt_at: null });
    expect(delivery.delivered_at).not.toBeNull();
    expect(delivery.last_duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('sends an endpoint only the types it subscribes to, and nothing to an inactive one', async () => {
    const updates = await createHook(t, receiver, '/updates', { events: ['contact.updated'] });
    const conversations = await createHook(t, receiver, '/conversations', { events: ['conversation.created'] });
    const off = await createHook(t, receiver, '/off', { active: false });
    const contactId = await newContact(t);
    expect((await api(t, 'PATCH', `/api/v1/contacts/${contactId}`, { name: 'Renamed' })).status).toBe(200);
    expect((await api(t, 'POST', '/api/v1/conversations', { contact_id: contactId })).status).toBe(201);
    await runUntil(run, () => receiver.at('/updates').length === 1 && receiver.at('/conversations').length === 1);
    expect(receiver.at('/updates').map((r) => r.event.type)).toEqual(['contact.updated']);
    expect(receiver.at('/conversations').map((r) => r.event.type)).toEqual(['conversation.created']);
    expect(receiver.at('/off')).toEqual([]);
    expect(await deliveriesOf(t, off.id)).toEqual([]);
    expect((await deliveriesOf(t, updates.id)).map((d) => d.event_type)).toEqual(['contact.updated']);
    expect((await deliveriesOf(t, conversations.id)).map((d) => d.event_type)).toEqual(['conversation.created']);
  });

  it('signs with the new secret once it is rotated', async () => {
    const hook = await createHook(t, receiver, '/rotated');
    const rotated = await api<{ data: { secret: string } }>(t, 'POST', `/api/v1/webhooks/${hook.id}/rotate_secret`);
    receiver.secret('/rotated', rotated.body.data.secret);
    await newContact(t);
    await runUntil(run, () => receiver.at('/rotated').length === 1);
    const [got] = receiver.at('/rotated');
    expect(got.verified).toBe(true);
    expect(verifyParleySignature(hook.secret, String(got.headers['parley-signature']), got.body)).toBe(false);
  });

  it('retries a receiver answering 500 then 503, and counts the attempts once it answers 200', async () => {
    const hook = await createHook(t, receiver, '/flaky');
    receiver.script('/flaky', { status: 500 }, { status: 503 });
    await newContact(t);
    await once();
    const [first] = await deliveriesOf(t, hook.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500: receiver says 500', delivered_at: null });
    // The first retry waits 30–60 s (base 60 s, equal jitter).
    const wait = Date.parse(first.next_attempt_at!) - Date.parse(first.created_at);
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThanOrEqual(61_000);
    await runUntil(() => run(new Date(Date.now() + HOUR)), async () => (await deliveriesOf(t, hook.id))[0].status === 'delivered');
    const [done] = await deliveriesOf(t, hook.id);
    expect(done).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null, next_attempt_at: null });
    const got = receiver.at('/flaky');
    expect(got.map((r) => r.answered)).toEqual([500, 503, 200]);
    // The same event and delivery each time: receivers dedupe on Parley-Event-Id.
    expect(new Set(got.map((r) => r.headers['parley-event-id'])).size).toBe(1);
    expect(new Set(got.map((r) => r.headers['parley-delivery-id'])).size).toBe(1);
    expect(got.every((r) => r.verified)).toBe(true);
  });

  it('fails an attempt that gets no answer within the time limit', async () => {
    const hook = await createHook(t, receiver, '/slow');
    receiver.script('/slow', { delayMs: 3000 });
    await newContact(t);
    const worker = createWebhookWorker({ database: t.database, eventLog: t.services.eventLog, retryBaseMs: 60_000, allowPrivate: true, timeoutMs: 300 });
    const started = Date.now();
    expect(await worker.run()).toBe(1);
    expect(Date.now() - started).toBeLessThan(2500);
    const [d] = await deliveriesOf(t, hook.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'timed out after 300 ms' });
    expect(d.last_duration_ms).toBeGreaterThanOrEqual(290);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const hook = await createHook(t, receiver, '/moved');
    receiver.script('/moved', { status: 302, headers: { location: receiver.url('/elsewhere') } });
    await newContact(t);
    await once();
    expect(receiver.at('/moved')).toHaveLength(1);
    expect(receiver.at('/elsewhere')).toEqual([]);
    const [d] = await deliveriesOf(t, hook.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 302 });
    expect(d.last_error).toMatch(/redirects are not followed/);
  });

  it('records a refused connection and retries it', async () => {
    const hook = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/closed' });
    await newContact(t);
    await once();
    const [d] = await deliveriesOf(t, hook.body.data.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'connection refused' });
  });

  it('gives up after 8 attempts, waiting about twice as long before each retry', async () => {
    const hook = await createHook(t, receiver, '/down');
    receiver.script('/down', ...Array.from({ length: 8 }, () => ({ status: 500 })));
    await newContact(t);
    const waits: number[] = [];
    for (let i = 1; i <= 8; i++) {
      // Each run is 3 hours after the one before, so the retry (at most 64 minutes away) is due,
      // and all 8 fit well within the 3 days that would deactivate the endpoint.
      await once(new Date(Date.now() + i * 3 * HOUR));
      const [d] = await deliveriesOf(t, hook.id);
      expect(d.attempts).toBe(i);
      if (i < 8) {
        expect(d.status).toBe('pending');
        waits.push(Date.parse(d.next_attempt_at!) - (Date.now() + i * 3 * HOUR));
      } else {
        expect(d).toMatchObject({ status: 'failed', next_attempt_at: null, last_status_code: 500 });
      }
    }
    waits.forEach((w, i) => {
      const step = 60_000 * 2 ** i;
      expect(w, `wait after attempt ${i + 1}`).toBeGreaterThanOrEqual(step / 2 - 100);
      expect(w, `wait after attempt ${i + 1}`).toBeLessThanOrEqual(step + 100);
    });
    await run(new Date(Date.now() + 30 * HOUR));
    expect(receiver.at('/down')).toHaveLength(8);
  });

  it('lists deliveries newest first, filters by status, pages, and re-queues one on request', async () => {
    const hook = await createHook(t, receiver, '/listed');
    receiver.script('/listed', { status: 200 }, { status: 200 }, ...Array.from({ length: 8 }, () => ({ status: 500 })));
    for (let i = 0; i < 3; i++) {
      await newContact(t);
      await runUntil(run, async () => (await deliveriesOf(t, hook.id)).length === i + 1 && receiver.at('/listed').length >= i + 1);
    }
    for (let i = 1; i <= 8; i++) await run(new Date(Date.now() + i * HOUR));
    const all = await deliveriesOf(t, hook.id);
    expect(all.map((d) => d.status)).toEqual(['failed', 'delivered', 'delivered']);
    expect(all[0].event_id).toBeGreaterThan(all[1].event_id);
    expect((await deliveriesOf(t, hook.id, t.auth, '&status=delivered')).map((d) => d.id)).toEqual([all[1].id, all[2].id]);
    const page1 = await api<{ data: TestDelivery[]; pagination: { cursor: string } }>(t, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=2`);
    const page2 = await api<{ data: TestDelivery[] }>(t, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${page1.body.pagination.cursor}`);
    expect([...page1.body.data, ...page2.body.data].map((d) => d.id)).toEqual(all.map((d) => d.id));
    expect((await api(t, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?status=lost`)).status).toBe(400);

    const retried = await api<{ data: TestDelivery }>(t, 'POST', `/api/v1/webhooks/${hook.id}/deliveries/${all[0].id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body.data).toMatchObject({ id: all[0].id, status: 'pending', attempts: 8 });
    expect(Date.parse(retried.body.data.next_attempt_at!)).toBeLessThanOrEqual(Date.now());
    await runUntil(run, async () => (await deliveriesOf(t, hook.id))[0].status === 'delivered');
    expect((await deliveriesOf(t, hook.id))[0]).toMatchObject({ status: 'delivered', attempts: 9, last_status_code: 200 });

    // A delivered one can be sent again: the receiver sees the same event id twice.
    expect((await api(t, 'POST', `/api/v1/webhooks/${hook.id}/deliveries/${all[2].id}/retry`)).status).toBe(202);
    await runUntil(run, () => receiver.at('/listed').filter((r) => r.event.id === all[2].event_id).length === 2);
    const missing = await api(t, 'POST', `/api/v1/webhooks/${hook.id}/deliveries/00000000-0000-7000-8000-000000000000/retry`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
    const other = await createHook(t, receiver, '/listed-other');
    expect((await api(t, 'POST', `/api/v1/webhooks/${other.id}/deliveries/${all[0].id}/retry`)).status).toBe(404);
  });

  it('sends webhook.test to the tested endpoint only, and refuses to test an inactive one', async () => {
    const tested = await createHook(t, receiver, '/tested');
    await createHook(t, receiver, '/bystander');
    const res = await api<{ data: TestDelivery }>(t, 'POST', `/api/v1/webhooks/${tested.id}/test`);
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ event_type: 'webhook.test', status: 'pending', attempts: 0 });
    await runUntil(run, () => receiver.at('/tested').length === 1);
    const [got] = receiver.at('/tested');
    expect(got.verified).toBe(true);
    expect(got.event).toMatchObject({ id: res.body.data.event_id, type: 'webhook.test', data: { webhook: { id: tested.id } } });
    expect(got.event.data.webhook).not.toHaveProperty('secret');
    await run();
    expect(receiver.at('/bystander')).toEqual([]);
    const events = await api<{ data: Array<{ id: number }> }>(t, 'GET', '/api/v1/events?type=webhook.test&limit=100');
    expect(events.body.data.map((e) => e.id)).toContain(res.body.data.event_id);

    await api(t, 'PATCH', `/api/v1/webhooks/${tested.id}`, { active: false });
    const refused = await api(t, 'POST', `/api/v1/webhooks/${tested.id}/test`);
    expect(refused.status).toBe(422);
  });
});
