import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import { createAutomation, postMessage, runAutomations, runsOf, startConversation, type Auth } from './automations.test-support.js';

interface Delivery {
  id: string;
  event_id: number;
  event_type: string;
  status: string;
}

/** An endpoint subscribed only to conversation.ended, so any other delivery came from an automation. */
async function createEndpoint(t: TestApp, auth: Auth): Promise<string> {
  // A public address literal: creating the endpoint needs no DNS, and no worker runs in these tests.
  const res = await api<{ data: { id: string } }>(
    t, 'POST', '/api/v1/webhooks', { url: 'https://93.184.216.34/parley', events: ['conversation.ended'] }, auth,
  );
  expect(res.status, res.text).toBe(201);
  return res.body.data.id;
}

async function deliveriesOf(t: TestApp, auth: Auth, endpointId: string): Promise<Delivery[]> {
  return (await api<{ data: Delivery[] }>(t, 'GET', `/api/v1/webhooks/${endpointId}/deliveries`, undefined, auth)).body.data;
}

describe.each(DIALECTS)('the send_webhook action on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('queues the triggering event for the endpoint, whatever the endpoint subscribes to', async () => {
    const ws = await t.otherWorkspace();
    const endpoint = await createEndpoint(t, ws.auth);
    const rule = await createAutomation(t, ws.auth, {
      name: 'Tell the CRM about refunds',
      event: 'message.created',
      conditions: [{ field: 'message.content', operator: 'contains', value: 'refund' }],
      actions: [{ type: 'send_webhook', value: endpoint }],
    });
    const conv = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' }, ws.auth);
    await postMessage(t, ws.auth, conv.id, 'refund please');
    await runAutomations(t);

    const [run] = await runsOf(t, ws.auth, rule.id);
    expect(run).toMatchObject({ matched: true, status: 'ok', actions: [{ type: 'send_webhook', status: 'ok', error: null }] });
    const deliveries = await deliveriesOf(t, ws.auth, endpoint);
    expect(deliveries.map((d) => [d.event_id, d.event_type, d.status])).toEqual([[run.event_id, 'message.created', 'pending']]);
  });

  it('runs on contact events, reading the contact they carry', async () => {
    const ws = await t.otherWorkspace();
    const endpoint = await createEndpoint(t, ws.auth);
    const rule = await createAutomation(t, ws.auth, {
      name: 'New enterprise leads',
      event: 'contact.created',
      conditions: [
        { field: 'contact.email', operator: 'contains', value: '@bigcorp.example' },
        { field: 'contact.metadata.plan', operator: 'equals', value: 'enterprise' },
      ],
      actions: [{ type: 'send_webhook', value: endpoint }],
    });
    await api(t, 'POST', '/api/v1/contacts', { email: 'cto@bigcorp.example', metadata: { plan: 'enterprise' } }, ws.auth);
    await api(t, 'POST', '/api/v1/contacts', { email: 'intern@bigcorp.example', metadata: { plan: 'free' } }, ws.auth);
    await runAutomations(t);
    expect((await runsOf(t, ws.auth, rule.id)).map((r) => [r.matched, r.event_type, r.conversation_id])).toEqual([
      [false, 'contact.created', null],
      [true, 'contact.created', null],
    ]);
    expect((await deliveriesOf(t, ws.auth, endpoint)).map((d) => d.event_type)).toEqual(['contact.created']);
  });

  it('records an error when the endpoint has been switched off or deleted since the rule was saved', async () => {
    const ws = await t.otherWorkspace();
    const endpoint = await createEndpoint(t, ws.auth);
    const rule = await createAutomation(t, ws.auth, {
      name: 'Forward everything',
      event: 'conversation.created',
      actions: [{ type: 'send_webhook', value: endpoint }, { type: 'add_tag', value: 'forwarded' }],
    });
    await api(t, 'PATCH', `/api/v1/webhooks/${endpoint}`, { active: false }, ws.auth);
    await startConversation(t, ws.auth);
    await runAutomations(t);
    await api(t, 'DELETE', `/api/v1/webhooks/${endpoint}`, undefined, ws.auth);
    await startConversation(t, ws.auth);
    await runAutomations(t);
    const runs = await runsOf(t, ws.auth, rule.id);
    expect(runs.map((r) => [r.status, r.actions.map((a) => a.status)])).toEqual([
      ['error', ['error', 'ok']],
      ['error', ['error', 'ok']],
    ]);
    expect(runs[0].actions[0].error).toMatch(/not found/i);
    expect(runs[1].actions[0].error).toMatch(/inactive/i);
  });
});
