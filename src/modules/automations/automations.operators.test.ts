import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import {
  createAutomation,
  postMessage,
  runAutomations,
  runsOf,
  startConversation,
  type Auth,
} from './automations.test-support.js';

type Cond = { field: string; operator: string; value: unknown };

/**
 * Each operator, end to end: many rules on message.created in one workspace, one user message
 * through the API, one consumer run; each rule's run says whether it matched.
 */
const MESSAGE = 'Hello, I need a REFUND for order 42';
const cases = (agentId: string): Array<[Cond[], boolean]> => [
  [[{ field: 'message.content', operator: 'equals', value: MESSAGE }], true],
  [[{ field: 'message.content', operator: 'equals', value: 'hello' }], false],
  [[{ field: 'message.content', operator: 'not_equals', value: 'hello' }], true],
  [[{ field: 'message.content', operator: 'not_equals', value: MESSAGE }], false],
  [[{ field: 'message.content', operator: 'contains', value: 'refund' }], true],
  [[{ field: 'message.content', operator: 'contains', value: 'cancel' }], false],
  [[{ field: 'message.content', operator: 'not_contains', value: 'cancel' }], true],
  [[{ field: 'message.content', operator: 'not_contains', value: 'Refund' }], false],
  [[{ field: 'message.content', operator: 'in', value: [MESSAGE, 'other'] }], true],
  [[{ field: 'message.content', operator: 'in', value: ['other'] }], false],
  [[{ field: 'message.content', operator: 'matches_keyword', value: 'refund' }], true],
  [[{ field: 'message.content', operator: 'matches_keyword', value: 'fun' }], false],
  [[{ field: 'message.content', operator: 'matches_keyword', value: ['cancel', 'ORDER 42'] }], true],
  [[{ field: 'message.role', operator: 'equals', value: 'user' }], true],
  [[{ field: 'message.role', operator: 'in', value: ['assistant', 'operator'] }], false],
  [[{ field: 'conversation.channel_type', operator: 'equals', value: 'email' }], true],
  [[{ field: 'conversation.channel_type', operator: 'not_equals', value: 'email' }], false],
  [[{ field: 'conversation.mode', operator: 'equals', value: 'manual' }], true],
  [[{ field: 'conversation.tags', operator: 'contains', value: 'VIP' }], true],
  [[{ field: 'conversation.tags', operator: 'contains', value: 'gold' }], false],
  [[{ field: 'conversation.tags', operator: 'not_contains', value: 'gold' }], true],
  [[{ field: 'conversation.tags', operator: 'not_contains', value: 'vip' }], false],
  [[{ field: 'conversation.tags', operator: 'in', value: ['gold', 'vip'] }], true],
  [[{ field: 'conversation.tags', operator: 'in', value: ['gold'] }], false],
  [[{ field: 'conversation.priority', operator: 'in', value: ['high', 'urgent'] }], true],
  [[{ field: 'conversation.priority', operator: 'equals', value: 'low' }], false],
  [[{ field: 'contact.email', operator: 'equals', value: 'ana@example.com' }], true],
  [[{ field: 'contact.email', operator: 'contains', value: '@EXAMPLE.com' }], true],
  [[{ field: 'contact.email', operator: 'matches_keyword', value: 'example' }], true],
  [[{ field: 'contact.email', operator: 'equals', value: null }], false],
  [[{ field: 'contact.metadata.seats', operator: 'gt', value: 10 }], true],
  [[{ field: 'contact.metadata.seats', operator: 'gt', value: 12 }], false],
  [[{ field: 'contact.metadata.seats', operator: 'lt', value: 13 }], true],
  [[{ field: 'contact.metadata.seats', operator: 'lt', value: 12 }], false],
  [[{ field: 'contact.metadata.plan', operator: 'gt', value: 1 }], false],
  [[{ field: 'contact.metadata.plan', operator: 'equals', value: 'pro' }], true],
  [[{ field: 'contact.metadata.plan', operator: 'in', value: ['free', 'starter'] }], false],
  [[{ field: 'contact.metadata.labels', operator: 'contains', value: 'beta' }], true],
  [[{ field: 'contact.metadata.company.size', operator: 'equals', value: 'large' }], true],
  [[{ field: 'contact.metadata.missing', operator: 'equals', value: null }], true],
  [[{ field: 'contact.metadata.missing', operator: 'not_contains', value: 'x' }], true],
  [[{ field: 'agent.id', operator: 'equals', value: agentId }], true],
  [[{ field: 'agent.id', operator: 'not_equals', value: agentId }], false],
  // All conditions must hold.
  [
    [
      { field: 'message.content', operator: 'contains', value: 'refund' },
      { field: 'conversation.channel_type', operator: 'equals', value: 'sms' },
    ],
    false,
  ],
  [
    [
      { field: 'message.content', operator: 'contains', value: 'refund' },
      { field: 'conversation.channel_type', operator: 'equals', value: 'email' },
      { field: 'contact.metadata.seats', operator: 'gt', value: 5 },
    ],
    true,
  ],
];

describe.each(DIALECTS)('automation conditions on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('evaluates each operator on each field, and matches only when every condition holds', async () => {
    const ws = await t.otherWorkspace();
    const auth: Auth = ws.auth;
    const conv = await startConversation(t, auth, {
      email: 'ana@example.com',
      metadata: { plan: 'pro', seats: 12, labels: ['beta'], company: { size: 'large' } },
      channelType: 'email',
    });
    // Manual mode: the message gets no AI reply, so exactly one message.created reaches the rules.
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' }, auth);
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/tags`, { tag: 'vip' }, auth);
    await api(t, 'PATCH', `/api/v1/conversations/${conv.id}`, { priority: 'high' }, auth);

    const table = cases(ws.agentId);
    const rules = [];
    for (const [i, [conditions]] of table.entries()) {
      rules.push(await createAutomation(t, auth, { name: `case ${i}`, event: 'message.created', conditions, actions: [{ type: 'add_tag', value: `case-${i}` }] }));
    }
    await postMessage(t, auth, conv.id, MESSAGE);
    await runAutomations(t);

    const outcomes = await Promise.all(rules.map(async (r) => (await runsOf(t, auth, r.id)).map((run) => run.matched)));
    const expected = table.map(([, matched]) => [matched]);
    const described = (o: boolean[][]) => o.map((m, i) => `${JSON.stringify(table[i][0])} → ${JSON.stringify(m)}`);
    expect(described(outcomes)).toEqual(described(expected));
  });

  it('reads the conversation, contact and agent that message.feedback and keyword.detected events only refer to', async () => {
    const ws = await t.otherWorkspace();
    const auth: Auth = ws.auth;
    await api(t, 'PATCH', `/api/v1/agents/${ws.agentId}`, { keywords: ['lawyer'] }, auth);
    const conv = await startConversation(t, auth, { email: 'bo@example.com', metadata: { tier: 'gold' } });
    const feedback = await createAutomation(t, auth, {
      name: 'Disliked answers of gold customers',
      event: 'message.feedback',
      conditions: [
        { field: 'contact.metadata.tier', operator: 'equals', value: 'gold' },
        { field: 'agent.id', operator: 'equals', value: ws.agentId },
        { field: 'message.role', operator: 'equals', value: 'assistant' },
      ],
      actions: [{ type: 'add_tag', value: 'bad answer' }],
    });
    const keyword = await createAutomation(t, auth, {
      name: 'Legal threats are urgent',
      event: 'keyword.detected',
      conditions: [{ field: 'contact.email', operator: 'equals', value: 'bo@example.com' }],
      actions: [{ type: 'set_priority', value: 'urgent' }],
    });
    const exchange = await api<{ data: { assistant_message: { id: number } } }>(
      t, 'POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'I will call my lawyer' }, auth,
    );
    const replyId = exchange.body.data.assistant_message.id;
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/messages/${replyId}/feedback`, { rating: 'dislike' }, auth);
    await runAutomations(t);

    expect((await runsOf(t, auth, feedback.id)).map((r) => [r.matched, r.status, r.conversation_id])).toEqual([[true, 'ok', conv.id]]);
    expect((await runsOf(t, auth, keyword.id)).map((r) => [r.matched, r.status, r.event_type])).toEqual([[true, 'ok', 'keyword.detected']]);
    const after = await api<{ data: { tags: string[]; priority: string } }>(t, 'GET', `/api/v1/conversations/${conv.id}`, undefined, auth);
    expect(after.body.data).toMatchObject({ tags: ['bad answer'], priority: 'urgent' });
  });
});
