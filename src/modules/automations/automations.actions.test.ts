import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, createMember } from '../../../test/auth.js';
import { createTestApp, DIALECTS, type TestApp } from '../../../test/helpers.js';
import { api } from '../../../test/http.js';
import {
  createAutomation,
  getConversation,
  postMessage,
  runAutomations,
  runsOf,
  startConversation,
  type Auth,
  type Conversation,
} from './automations.test-support.js';

interface Message {
  id: number;
  role: string;
  content: string;
  author_id: string | null;
}

async function messagesOf(t: TestApp, headers: Record<string, string>, id: string): Promise<Message[]> {
  return (await api<{ data: Message[] }>(t, 'GET', `/api/v1/conversations/${id}/messages?limit=100`, undefined, headers)).body.data;
}

/** Events of a conversation as stored, with the source the API does not show. */
async function sourcesOf(t: TestApp, accountId: string, type: string): Promise<Array<string | null>> {
  const rows = await t.database.db.selectFrom('events').select('source').where('account_id', '=', accountId).where('type', '=', type).orderBy('id').execute();
  return rows.map((r) => r.source);
}

describe.each(DIALECTS)('automation actions on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  /**
   * One scenario per action: a rule created through the API, its event triggered through the API,
   * the consumer run once; then the conversation shows the change, and a run says ok.
   */
  const scenarios: Array<{
    action: string;
    value: (ctx: { ws: Awaited<ReturnType<TestApp['otherWorkspace']>>; t: TestApp }) => Promise<unknown> | unknown;
    prepare?: (t: TestApp, auth: Auth, conv: Conversation) => Promise<void>;
    check: (after: Conversation, value: unknown, messages: Message[]) => void;
    event?: string;
  }> = [
    { action: 'add_tag', value: () => 'Needs Follow-up', check: (c) => expect(c.tags).toEqual(['needs follow-up']) },
    {
      action: 'remove_tag',
      value: () => 'vip',
      prepare: async (t, auth, conv) => void (await api(t, 'POST', `/api/v1/conversations/${conv.id}/tags`, { tag: 'vip' }, auth)),
      check: (c) => expect(c.tags).toEqual([]),
    },
    {
      action: 'assign',
      value: async ({ ws, t }) => {
        const admin = await login(t, ws.adminEmail, ws.adminPassword);
        return (await createMember(t, { admin })).member.id;
      },
      check: (c, value) => expect(c.assignee_id).toBe(value),
    },
    // The scenarios run in manual mode (no AI reply to wait for), so the rule hands back to the AI.
    { action: 'set_mode', value: () => 'ai', check: (c) => expect(c.mode).toBe('ai') },
    {
      action: 'set_state',
      value: async ({ ws, t }) => {
        const admin = await login(t, ws.adminEmail, ws.adminPassword);
        return (await api<{ data: { id: string } }>(t, 'POST', '/api/v1/conversation_states', { name: 'Escalated' }, admin.headers)).body.data.id;
      },
      check: (c, value) => expect(c.state_id).toBe(value),
    },
    { action: 'set_priority', value: () => 'urgent', check: (c) => expect(c.priority).toBe('urgent') },
    {
      action: 'send_message',
      value: () => 'A person will look at this shortly.',
      check: (_c, value, messages) =>
        expect(messages.filter((m) => m.role === 'operator')).toEqual([expect.objectContaining({ content: value, author_id: null })]),
    },
    {
      action: 'add_note',
      value: () => 'Customer asked about a refund.',
      check: (_c, value, messages) => expect(messages.filter((m) => m.role === 'note')).toEqual([expect.objectContaining({ content: value })]),
    },
    { action: 'end_conversation', value: () => null, check: (c) => expect(c.status).toBe('ended') },
  ];

  for (const s of scenarios) {
    it(`runs ${s.action} on the conversation when the rule matches, and records the run`, async () => {
      const ws = await t.otherWorkspace();
      const conv = await startConversation(t, ws.auth);
      await api(t, 'POST', `/api/v1/conversations/${conv.id}/mode`, { mode: 'manual' }, ws.auth);
      await s.prepare?.(t, ws.auth, conv);
      const value = await s.value({ ws, t });
      const rule = await createAutomation(t, ws.auth, {
        name: s.action,
        event: 'message.created',
        conditions: [{ field: 'message.content', operator: 'contains', value: 'refund' }],
        actions: [{ type: s.action, value }],
      });
      await postMessage(t, ws.auth, conv.id, 'Can I get a refund?');
      expect(await runAutomations(t)).toBe(1);

      const admin = await login(t, ws.adminEmail, ws.adminPassword);
      s.check(await getConversation(t, ws.auth, conv.id), value, await messagesOf(t, admin.headers, conv.id));
      const runs = await runsOf(t, ws.auth, rule.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        automation_id: rule.id,
        event_type: 'message.created',
        conversation_id: conv.id,
        matched: true,
        status: 'ok',
        actions: [{ type: s.action, status: 'ok', error: null }],
        error: null,
      });
    });
  }

  it('marks the changes it makes with source automation, and people’s with none', async () => {
    const ws = await t.otherWorkspace();
    const conv = await startConversation(t, ws.auth);
    await createAutomation(t, ws.auth, { name: 'Tag new', event: 'conversation.updated', actions: [{ type: 'set_priority', value: 'low' }] });
    await api(t, 'PATCH', `/api/v1/conversations/${conv.id}`, { title: 'Renamed by a person' }, ws.auth);
    await runAutomations(t);
    expect(await sourcesOf(t, ws.accountId, 'conversation.updated')).toEqual([null, 'automation']);
  });

  it('records a failing action and still runs the next one, and the consumer goes on', async () => {
    const ws = await t.otherWorkspace();
    const conv = await startConversation(t, ws.auth);
    const rule = await createAutomation(t, ws.auth, {
      name: 'Say goodbye',
      event: 'conversation.ended',
      actions: [
        { type: 'send_message', value: 'Goodbye!' },
        { type: 'add_tag', value: 'closed' },
      ],
    });
    await api(t, 'POST', `/api/v1/conversations/${conv.id}/end`, undefined, ws.auth);
    const conv2 = await startConversation(t, ws.auth);
    await api(t, 'POST', `/api/v1/conversations/${conv2.id}/end`, undefined, ws.auth);
    expect(await runAutomations(t)).toBe(2);

    const runs = await runsOf(t, ws.auth, rule.id);
    expect(runs.map((r) => r.conversation_id)).toEqual([conv2.id, conv.id]);
    for (const run of runs) {
      expect(run).toMatchObject({ matched: true, status: 'error', error: '1 of 2 actions failed' });
      expect(run.actions).toEqual([
        { type: 'send_message', status: 'error', error: 'Conversation has ended' },
        { type: 'add_tag', status: 'ok', error: null },
      ]);
    }
    expect((await getConversation(t, ws.auth, conv.id)).tags).toEqual(['closed']);
  });
});
