import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { createHook, deliveriesOf, runUntil } from '../../../test/webhooks.js';

process.env.PARLEY_WEBHOOK_ALLOW_PRIVATE = '1';

/** Issue 16: the inbox's own conversation events can be subscribed to by name, not only through "*". */
describe.each(DIALECTS)('webhooks for the inbox events on %s', (dialect) => {
  let t: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('accepts endpoints subscribed to conversation.handoff, snoozed, unsnoozed and reopened', async () => {
    const ws = await t.otherWorkspace();
    const events = ['conversation.handoff', 'conversation.snoozed', 'conversation.unsnoozed', 'conversation.reopened'];
    const hook = await createHook(t, receiver, '/all-four', { events }, ws.auth);
    const got = await api<{ data: { events: string[] } }>(t, 'GET', `/api/v1/webhooks/${hook.id}`, undefined, ws.auth);
    expect(got.body.data.events).toEqual(events);
    const bad = await api(t, 'POST', '/api/v1/webhooks', { url: receiver.url('/x'), events: ['conversation.reopen'] }, ws.auth);
    expect(bad.status).toBe(400);
  });

  it('sends conversation.reopened to an endpoint subscribed to it, and nothing it did not ask for', async () => {
    const ws = await t.otherWorkspace();
    const hook = await createHook(t, receiver, '/reopened', { events: ['conversation.reopened'] }, ws.auth);
    const contact = await api<{ data: { id: number } }>(t, 'POST', '/api/v1/contacts', {}, ws.auth);
    const conv = await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversations', { contact_id: contact.body.data.id }, ws.auth);
    const id = conv.body.data.id;
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/end`, undefined, ws.auth)).status).toBe(200);
    expect((await api(t, 'POST', `/api/v1/conversations/${id}/reopen`, undefined, ws.auth)).status).toBe(200);

    await runUntil(() => t.services.webhookWorker.run(), () => receiver.at('/reopened').length >= 1);
    const [received] = receiver.at('/reopened');
    expect(received.event).toMatchObject({ type: 'conversation.reopened', data: { conversation: { id, status: 'active' } } });
    expect(received.verified).toBe(true);
    const deliveries = await deliveriesOf(t, hook.id, ws.auth);
    expect(deliveries.map((d) => [d.event_type, d.status])).toEqual([['conversation.reopened', 'delivered']]);
  });
});
